// The meeting screen's rotation, countdown, pause (space bar) and redraw.
// Its state lives on window, so a data refresh swaps the figures without a blank frame.
(function () {
  var data = window.__meetingScreenData;
  if (!data) return;
  var S = window.__meetingScreen;
  if (!S) {
    S = window.__meetingScreen = { index: 0, scope: 0, paused: false, left: data.dwell, timer: null, version: 0 };
    S.timer = setInterval(function () { window.__meetingScreenTick(); }, 1000);
    document.addEventListener('keydown', function (e) {
      if (e.code === 'Space' || e.key === ' ') { S.paused = !S.paused; e.preventDefault(); window.__meetingScreenDraw(); }
    });
  }
  S.data = data;
  S.version += 1;
  S.fresh = Date.now();
  if (S.index >= data.panels.length) S.index = 0;
  if (S.scope >= data.scopes.length) S.scope = 0;

  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; }); }
  // A figure the server hid (a small cell, or one derived from it) arrives as its text.
  function num(n) { return n === null || n === undefined ? '—' : typeof n === 'string' ? esc(n) : Number(n).toLocaleString('zh-CN'); }
  function pct(n) { return n === null || n === undefined ? '—' : typeof n === 'string' ? esc(n) : n.toFixed(1) + '%'; }
  function wan(n) { return typeof n === 'string' ? esc(n) : n.toFixed(2); }
  function kpi(label, value, note, bad) {
    return '<div class="kpi"><div class="kpi-label">' + esc(label) + '</div><div class="kpi-value' + (bad ? ' bad' : '') + '">' +
      value + '</div>' + (note ? '<div class="kpi-note' + (bad ? ' bad' : '') + '">' + note + '</div>' : '') + '</div>';
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] === undefined ? m : values[k]; });
  }
  // Bars from ``floor`` to ``top``; ``mark`` is the reference line (target or time
  // progress), ``city`` a dashed line at the city-wide value (when the legend names one);
  // a row is flagged (▼) when the server's rule says so (``r.short``), and an over-spent
  // budget row reads "▲ 103.0%" (``r.over``) as the 执行状态 column does; both bars in the desk
  // charts' colours (screen.FILLS). The legend's swatches
  // are drawn in the colours of the lines they name.
  function bars(rows, mark, markLabel, top, floor, city, cityLabel) {
    var hasCity = typeof city === 'number' && city >= floor && city <= top;
    var span = top - floor;
    var out = '<div class="rows">';
    rows.forEach(function (r) {
      var v = r.value === null || typeof r.value === 'string' ? floor : r.value;
      var short = !!r.short;
      var w = Math.max(0, Math.min(100, (v - floor) / span * 100));
      out += '<div class="row"><div>' + esc(r.name) + '</div><div class="bar"><div class="fill' + (short ? ' short' : r.over ? ' over' : '') +
        '" style="width:' + w + '%"></div>' + (floor > 0 ? '<div class="cut">≈</div>' : '') +
        (mark !== null ? '<div class="mark" style="left:' + Math.min(100, (mark - floor) / span * 100) + '%"></div>' : '') +
        (hasCity ? '<div class="mark city" style="left:' + Math.min(100, (city - floor) / span * 100) + '%"></div>' : '') +
        '</div><div class="value' + (short ? ' bad' : '') + '">' + (short ? '▼ ' : r.over ? '▲ ' : '') + pct(r.value) + '</div></div>';
    });
    var legend = markLabel ? '<span class="swatch">▌</span> ' + esc(markLabel) : '';
    if (hasCity && cityLabel) legend += '　<span class="swatch city">┆</span> ' + esc(cityLabel);
    return out + '</div>' + (legend ? '<div class="legend">' + legend + '</div>' : '');
  }
  function panel(name, P) {
    if (name === 'overview' && P.overview) {
      var o = P.overview;
      var T = S.data.text;
      var keyNote = o.key_population === 0 ? '本范围内无重点对象' : (o.key_short === 0 ? '✔ 达标（目标 100%）' : '▼ 还差 ' + num(o.key_short) + ' 人');
      keyNote = esc(fill(T.reached, {n: num(o.key_reached)})) + ' · ' + keyNote;
      return '<div class="kpis">' + kpi('离休干部', num(o.veterans), '人') + kpi('退休干部', num(o.retirees), '人') +
        kpi('遗属', num(o.survivors), '人') + kpi('重点对象联系覆盖率', pct(o.key_coverage), keyNote, o.key_short > 0) +
        kpi('联系覆盖率', pct(o.coverage), esc(fill(T.reached, {n: num(o.reached)}))) +
        kpi('逾期未联系', num(o.overdue), '人', o.overdue > 0) + '</div>';
    }
    if (name === 'coverage' && P.coverage) {
      var rows = P.coverage.rows.slice().sort(function (a, b) { return (a.value || 0) - (b.value || 0); });
      var low = Math.min.apply(null, rows.map(function (r) { return r.value === null ? 100 : r.value; }));
      var floor = Math.max(0, Math.floor((low - 3) / 5) * 5);
      return bars(rows, 100, P.coverage.legend + (floor > 0 ? '；≈ 横轴自 ' + floor + '% 起（柱形截断）' : ''), 100.5, floor,
        P.coverage.city, P.coverage.city_legend);
    }
    if (name === 'branches' && P.branches) {
      var b = P.branches, TB = S.data.text;
      return '<div class="kpis">' + kpi('离退休干部党支部', num(b.branches), '个') + kpi('服务党员', num(b.members), '人') +
        kpi('离退休党员任书记比例', pct(b.secretary_share), esc(fill(TB.secretaries, {n: num(b.secretaries)}))) +
        kpi('组织生活完成率', pct(b.org_life), esc(fill(TB.org_life_done, {n: num(b.org_life_done), gaps: num(b.gaps)})), b.gaps > 0) +
        '</div>';
    }
    if (name === 'budget' && P.budget) {
      var scale = Math.max(110, Math.max.apply(null, P.budget.rows.map(function (r) { return typeof r.value === 'number' ? r.value : 0; })) + 5);
      return bars(P.budget.rows, P.budget.progress, P.budget.legend, scale, 0);
    }
    if (name === 'aid' && P.aid) {
      var a = P.aid;
      var cats = a.by_category.map(function (c) { return esc(c.name) + ' ' + num(c.value) + ' 人'; }).join('　');
      return '<div class="kpis">' + kpi('特困帮扶人数', num(a.recipients), cats) + kpi('帮扶金额', wan(a.amount_wan), '万元') +
        kpi('慰问品（实物）', wan(a.goods_wan), '万元') + '</div>';
    }
    if (name === 'ranking' && S.data.ranking) {
      var R = S.data.ranking;
      var t = '<table class="ranking"><tr><th>区域</th>' + R.headers.map(function (h) { return '<th>' + esc(h) + '</th>'; }).join('') + '</tr>';
      R.rows.forEach(function (r) {
        t += '<tr><td>' + esc(r.name) + '</td><td>' + (r.place || '—') + '</td><td>' + esc(r.score || '—') + '</td>' +
          r.cells.map(function (c, i) {
          return '<td>' + esc(c) + (r.ranks[i] ? '（' + r.ranks[i] + '）' : '') + '</td>'; }).join('') + '</tr>';
      });
      return t + '</table><div class="legend">' + esc(R.how) + '</div>';
    }
    return '';
  }
  function visiblePanels() {
    // In an area round of the carousel the city-only panels are skipped.
    var P = S.data.scopes[S.scope].panels;
    return S.data.panels.filter(function (p) { return p === 'ranking' ? S.scope === 0 : !!P[p]; });
  }
  window.__meetingScreenDraw = function () {
    var root = document.getElementById('meeting-screen');
    if (!root) return;
    var d = S.data, panels = visiblePanels();
    if (S.index >= panels.length) S.index = 0;
    var name = panels[S.index], scope = d.scopes[S.scope];
    var key = S.version + '|' + S.scope + '|' + name + '|' + S.index;
    if (root.getAttribute('data-key') !== key) {
      root.setAttribute('data-key', key);
      root.setAttribute('data-panel', name);
      root.innerHTML =
        '<div class="top"><span>' + esc(d.text.org) + ' · ' + esc(d.text.title) + (d.demo ? ' · ' + esc(d.demo) : '') +
        '</span><span>' + esc(scope.name) + '　<span class="clock" id="ms-clock"></span></span></div>' +
        '<div class="title">' + esc(d.titles[name]) + '</div>' +
        '<div class="stage">' + panel(name, scope.panels) + '</div>' +
        '<div class="warn banner" id="ms-warn"></div>' +
        (d.notices && d.notices.length ? '<div class="notice" id="ms-notice">' + esc(d.notices.join('　')) + '</div>' : '') +
        '<div class="bottom"><span id="ms-asof">' + esc(d.text.as_of) + ' ' + esc(d.as_of) +
        (d.snapshot ? ' · ' + esc(d.snapshot) : '') + '</span>' +
        '<span id="ms-count"></span></div>' +
        '<div class="progress"><div id="ms-bar"></div></div>';
    }
    // The wall clock ("14:05"), from the viewing machine's own time: redrawn every second
    // by the page's timer, no server rerun.
    var now = new Date();
    document.getElementById('ms-clock').textContent =
      ('0' + now.getHours()).slice(-2) + ':' + ('0' + now.getMinutes()).slice(-2);
    var warn = [d.offline, d.stale].concat(d.notices || []).filter(Boolean).join('　');
    document.getElementById('ms-warn').textContent = warn ? '⚠ ' + warn : '';
    document.getElementById('ms-count').textContent = S.paused ? d.text.paused :
      d.text.next.replace('{s}', S.left) + '（' + (S.index + 1) + '/' + panels.length + '）';
    document.getElementById('ms-bar').style.width = (100 * (d.dwell - S.left) / d.dwell) + '%';
  };
  window.__meetingScreenTick = function () {
    // Each scheduled refresh brings new data. When three in a row (at least a minute) have
    // not come, the server that held this screen is gone (its process restarted, or the
    // proxy moved the screen to another one): load the page again, nobody has to touch it.
    var quiet = Math.max(3 * (S.data.refresh || 300), 60) * 1000;
    if (Date.now() - S.fresh > quiet) { S.fresh = Date.now(); window.location.reload(); return; }
    if (!S.paused) {
      S.left -= 1;
      if (S.left <= 0) {
        S.left = S.data.dwell;
        S.index += 1;
        if (S.index >= visiblePanels().length) {
          S.index = 0;
          if (S.data.carousel) S.scope = (S.scope + 1) % S.data.scopes.length;
        }
      }
    }
    window.__meetingScreenDraw();
  };
  window.__meetingScreenDraw();
})();
