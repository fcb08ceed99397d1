"""Browser-side helpers of the page chrome: charts that follow a theme switch, print on A4.

Plotly figures are coloured on the server from ``st.context.theme.type`` (the theme the
browser reported when the run started). Streamlit does not rerun when the viewer switches
between light and dark in the ⋮ menu (streamlit#11920), and the first run of a session may
report the theme before the browser settled it; this script watches the app's background
and asks for one rerun when it no longer matches the theme the charts were drawn in.
"""

from __future__ import annotations

import json

import streamlit as st

from dashboard import charts, labels

# Reruns through Streamlit's own "r" shortcut (hotkeys-js on document): no widget, no URL change.
_WATCH_JS = """
<script>
(function () {
  var W = window.__chartTheme = window.__chartTheme || {};
  W.served = "%(served)s";
  W.asked = null;
  function scheme() {
    var app = document.querySelector('[data-testid="stApp"]');
    if (!app) return null;
    var m = getComputedStyle(app).backgroundColor.match(/\\d+(\\.\\d+)?/g);
    if (!m || m.length < 3) return null;
    var lum = (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) / 255;
    return lum < 0.5 ? 'dark' : 'light';
  }
  function rerun() {
    var init = {key: 'r', code: 'KeyR', keyCode: 82, which: 82, bubbles: true};
    document.dispatchEvent(new KeyboardEvent('keydown', init));
    document.dispatchEvent(new KeyboardEvent('keyup', init));
  }
  W.check = function () {
    var now = scheme();
    // The page's CSS follows the theme shown (the sidebar logo has a dark variant).
    if (now && document.documentElement.getAttribute('data-scheme') !== now)
      document.documentElement.setAttribute('data-scheme', now);
    var idle = document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]');
    if (now && idle && now !== W.served && W.asked !== now) { W.asked = now; rerun(); }
  };
  if (!W.timer) W.timer = setInterval(function () { W.check(); }, 800);
})();
</script>
"""

_HIDE = "<style>.st-key-page_chrome { display: none; }</style>"

# The theme a viewer picks (⋮ → 浅色 / 深色 / 系统) is kept by Streamlit in localStorage under
# a key per address ("stActiveTheme-/contacts-v2"), so it held for one address only: a reload
# of another page, or a shared link, opened in the default theme. The choice is written
# under every page's key of this site as it is made (and kept as "dashboardTheme"), and a
# page opened without a choice of its own takes the last one (one reload, once).
_REMEMBER_JS = """
<script>
(function () {
  var paths = PATHS, pages = paths.slice(1);
  var ls = window.localStorage;
  if (!ls) return;
  function base() {
    var p = window.location.pathname.replace(/\\/+$/, '');
    var last = p.split('/').pop();
    if (pages.indexOf(last) >= 0) p = p.slice(0, p.length - last.length - 1);
    return p;
  }
  function keys() {
    var b = base();
    var out = [];
    paths.forEach(function (p) {
      var path = p ? b + '/' + p : (b || '') + '/';
      out.push('stActiveTheme-' + path + '-v2');
      if (p && path.slice(-1) !== '/') out.push('stActiveTheme-' + path + '/-v2');
    });
    if (b) out.push('stActiveTheme-' + b + '-v2');
    return out;
  }
  if (!window.__themeRemember) {
    window.__themeRemember = true;
    // (on the prototype: assigning to localStorage.setItem would store an item of that name)
    var protoSet = Storage.prototype.setItem, protoRemove = Storage.prototype.removeItem;
    var set = function (k, v) { protoSet.call(ls, k, v); };
    var remove = function (k) { protoRemove.call(ls, k); };
    Storage.prototype.setItem = function (k, v) {
      protoSet.call(this, k, v);
      if (this !== ls) return;
      if (/^stActiveTheme-.*-v2$/.test(k)) {
        set('dashboardTheme', v);
        keys().forEach(function (key) { if (key !== k) set(key, v); });
      }
    };
    Storage.prototype.removeItem = function (k) {
      protoRemove.call(this, k);
      if (this !== ls) return;
      if (/^stActiveTheme-.*-v2$/.test(k)) {  // 系统 (follow the system) is chosen by removal
        remove('dashboardTheme');
        keys().forEach(function (key) { if (key !== k) remove(key); });
      }
    };
  }
  var saved = ls.getItem('dashboardTheme');
  var own = 'stActiveTheme-' + window.location.pathname + '-v2';
  if (saved && ls.getItem(own) !== saved && !window.sessionStorage.getItem('dashboardThemeApplied')) {
    window.sessionStorage.setItem('dashboardThemeApplied', '1');
    keys().concat([own]).forEach(function (key) { ls.setItem(key, saved); });
    window.location.reload();
  }
})();
</script>
"""

# Print (Ctrl+P) on A4 portrait: no sidebar, header, toolbar, buttons or widgets; the page
# body flows over as many sheets as it needs (Streamlit scrolls it inside a fixed box on
# screen); the main column is scaled as a whole so charts and tables drawn for the screen
# width fit the 186 mm between the margins (their canvases keep their screen pixels).
PRINT_WIDTH_PX = 700  # 186 mm at 96 px per inch, less a little
_PRINT_CSS = """
<style>
@media print {
  @page { size: A4 portrait; margin: 12mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"], header,
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stDownloadButton"], [data-testid="stBaseButton-tertiary"], [data-testid="stSelectbox"],
  [data-testid="stMultiSelect"], [data-testid="stPageLink"], .st-key-page_chrome { display: none !important; }
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    position: static !important; overflow: visible !important; height: auto !important; min-height: 0 !important;
    background: #ffffff !important; }
  [data-testid="stMainBlockContainer"] {
    width: var(--print-width, 1100px) !important; max-width: none !important;
    padding: 0 !important; margin: 0 !important; zoom: var(--print-zoom, 0.63); }
  [data-testid="stPlotlyChart"], [data-testid="stDataFrame"], [data-testid="stMetric"],
  [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
}
</style>
"""
# Before printing, keep the main column at the width its charts were drawn for and scale it
# to the sheet.
_PRINT_JS = """
<script>
(function () {
  if (window.__printFit) return;
  window.__printFit = function () {
    var main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    var w = main.getBoundingClientRect().width;
    var root = document.documentElement.style;
    root.setProperty('--print-width', w + 'px');
    root.setProperty('--print-zoom', String(Math.min(1, PRINT_WIDTH / w)));
  };
  window.addEventListener('beforeprint', window.__printFit);
})();
</script>
""".replace("PRINT_WIDTH", str(PRINT_WIDTH_PX))


# Streamlit's own chrome speaks English: the ⋮ menu (System / Light / Dark, Print), the
# table toolbar tooltips, the multiselect's "No results". Translated in place (the words
# come from labels.CHROME_ZH); screen recording and the version footer are hidden. The theme
# switch stays where Streamlit puts it.
_CHROME_CSS = """
<style>
[data-testid="stMainMenuItem-recordScreencast"], [data-testid="stMainMenuList"] + div { display: none !important; }
</style>
"""
_CHROME_JS = """
<script>
(function () {
  var words = WORDS;
  window.__chromeWords = words;
  if (window.__chromeZh) return;
  var scope = '[data-testid="stMainMenuPopover"], [data-baseweb="popover"], [data-baseweb="tooltip"], ' +
    '[role="tooltip"], [data-testid="stElementToolbar"], [data-testid="stTooltipContent"], ' +
    '[data-testid="stMultiSelectDropdown"], [data-testid="stSelectboxVirtualDropdown"], [role="listbox"], ' +
    '[data-testid="stDataFrameColumnMenu"], [data-testid="search-result-area"]';
  // The table search's count ("0 results", "1 result", "over 1000"): a number in a phrase.
  function counted(k) {
    var m = k.match(/^(\\d+) results?$/);
    if (m) return window.__chromeWords['{n} results'].replace('{n}', m[1]);
    if (k === 'over 1000') return window.__chromeWords['over 1000'];
    return null;
  }
  function fix(root) {
    if (!root || !root.querySelectorAll) return;
    var nodes = root.matches && root.matches(scope) ? [root] : [];
    root.querySelectorAll(scope).forEach(function (n) { nodes.push(n); });
    if (!nodes.length && root.closest && root.closest(scope)) nodes.push(root);
    nodes.forEach(function (n) {
      var walk = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);
      var t;
      while ((t = walk.nextNode())) {
        var k = t.nodeValue.trim();
        var zh = window.__chromeWords[k] || counted(k);
        if (zh) t.nodeValue = t.nodeValue.replace(k, zh);
      }
      n.querySelectorAll('[aria-label]').forEach(function (e) {
        var v = window.__chromeWords[e.getAttribute('aria-label')];
        if (v) e.setAttribute('aria-label', v);
      });
    });
  }
  window.__chromeZh = new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === 'characterData') fix(r.target.parentElement);
      r.addedNodes.forEach(function (n) { fix(n.nodeType === 1 ? n : n.parentElement); });
    });
  });
  window.__chromeZh.observe(document.body, {childList: true, subtree: true, characterData: true});
  fix(document.body);
})();
</script>
"""


# The hint "共 N 列：表格可左右滑动…" (components.wide_table_hint) stood over every table of more
# than eight columns, also where all of them fit (a 9-column table at 1600 px). It is hidden
# until this script has seen its table wider than the table's frame (its grid scrolls
# sideways): at 390 px, or at the desk for a table that does overflow. Checked again as the
# page, the window or the table changes.
_TABLE_HINT_CSS = """
<style>
[data-testid="stElementContainer"]:has(.table-scroll-hint):not([data-table-wide]) { display: none !important; }
</style>
"""
_TABLE_HINT_JS = """
<script>
(function () {
  if (window.__tableHints) return;
  function tableAfter(box) {
    for (var n = box.nextElementSibling; n; n = n.nextElementSibling) {
      if (n.querySelector('.table-scroll-hint')) return null;  // the next hint's table
      if (n.querySelector('[data-testid="stDataFrame"]')) return n;
    }
    return null;
  }
  function check() {
    document.querySelectorAll('.table-scroll-hint').forEach(function (hint) {
      var box = hint.closest('[data-testid="stElementContainer"]');
      if (!box) return;
      var t = tableAfter(box);
      var grid = t && t.querySelector('.dvn-scroller');
      var wide = !!grid && grid.clientWidth > 0 && grid.scrollWidth > grid.clientWidth + 1;
      if (wide !== box.hasAttribute('data-table-wide')) {
        if (wide) box.setAttribute('data-table-wide', ''); else box.removeAttribute('data-table-wide');
      }
    });
  }
  window.__tableHints = setInterval(check, 400);
  window.addEventListener('resize', check);
  check();
})();
</script>
"""


# Card readings wrap at every width. A phone (≤ 640 px): the 需要关注 list, then the KPI
# cards two to a row without their sparklines (four headline figures on the first screen
# after the list, not one card per screen), chart labels small enough to fit a 390 px
# column, attention links beside their text.
_PHONE_CSS = """
<style>
/* At every width a card's reading wraps rather than ending in "…" (the status word and the
   gap of "▼ 偏慢：慢于序时 11.0 个百分点" must both be read). */
[data-testid="stMetricDelta"] * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
[data-testid="stMetricDelta"] { height: auto !important; }
/* Per-area tables and their phone form (components.area_cards / phone_table): the table on
   the desk, one card per area below 640 px, where the table's key column was off-screen. */
[class*="st-key-phone_cards_"] { display: none !important; }
.area-cards { display: flex; flex-direction: column; gap: 0.25rem; }
.area-card { display: grid; grid-template-columns: 1fr auto; column-gap: 0.6rem; align-items: baseline;
  line-height: 1.35; border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 0.4rem; padding: 0.25rem 0.6rem; }
.area-card-name { font-weight: 600; min-width: 0; overflow-wrap: anywhere; }
.area-card-rate { font-weight: 700; font-variant-numeric: tabular-nums; white-space: nowrap; }
.area-card-note { grid-column: 1 / -1; font-size: 0.8rem; opacity: 0.85; }
/* The card's ▼ note: orange for "behind", 4.5:1 or more on the page background in either theme
   (Okabe-Ito vermilion #d55e00 read 3.9:1 on white). */
.area-card-note.bad { color: #b34700; opacity: 1; }
html[data-scheme='dark'] .area-card-note.bad { color: #ff8c42; }
@media (max-width: 640px) {
  [class*="st-key-phone_cards_"] { display: flex !important; }
  [class*="st-key-phone_table_"] [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) {
    display: none !important; }
  /* ... and so is the table's "共 N 列：表格可左右滑动" hint (components.wide_table_hint). */
  [class*="st-key-phone_table_"] [data-testid="stElementContainer"]:has(.table-scroll-hint) {
    display: none !important; }
  /* A table's toolbar (its 44-px strip of buttons above the table's top right) had covered the
     caption above it ("★ 为调研报告指出的短板服务…"): the table leaves that strip free. */
  [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) { margin-top: 2.9rem !important; }
  /* The header's right group (⋮: theme, print) keeps a 200 px minimum beside the logo and
     ended at x = 440 on a 390 px phone: it takes only its width, the logo shrinks. */
  [data-testid="stToolbar"] div:has(> [data-testid="stMainMenu"]) { min-width: 0 !important; }
  [data-testid="stHeaderLogo"] { max-width: 45vw !important; object-fit: contain; object-position: left; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-wrap: wrap !important; gap: 0.5rem !important; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"])
    > [data-testid="stColumn"] {
    min-width: calc(50% - 0.25rem) !important; max-width: calc(50% - 0.25rem) !important;
    flex: 1 1 calc(50% - 0.25rem) !important; }
  [data-testid="stMetric"] { padding: 0.5rem 0.6rem !important; }
  [data-testid="stMetricChart"] { display: none !important; }
  [data-testid="stMetricValue"] { font-size: 1.5rem !important; }
  /* A rate's count line ("已支出 11,432.03 万元" over "100.4%") wraps instead of ending in "…". */
  [data-testid="stMetricValue"] .stMarkdownEllipsis, [data-testid="stMetricValue"] .stMarkdownEllipsis * {
    white-space: normal !important; }
  [data-testid="stMetricLabel"] p, [data-testid="stMetricDelta"] { font-size: 0.8rem !important; }
  [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
  [data-testid="stMetricDelta"] { height: auto !important; }
  .st-key-attention [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; gap: 0.25rem !important; }
  .st-key-attention [data-testid="stColumn"] { min-width: 0 !important; }
  .st-key-attention [data-testid="stColumn"]:last-child { flex: 0 0 4.6rem !important; }
  [data-testid="stPlotlyChart"] .bartext { font-size: 9px !important; }
  /* (an outside label of a long horizontal bar keeps 9 px: at 11 px "3,183 件（45.3%）" ran
     past a 390-px screen's edge) */
  [data-testid="stPlotlyChart"] .textpoint text, [data-testid="stPlotlyChart"] .bartext-inside {
    font-size: 11px !important; }
  /* A row of value labels above many narrow bars (charts._label_row: a scatter of text only,
     no markers, no line) would run together at 11 px ("100.5%101.3%"): every other label
     moves down into its bar, white on a dark halo, legible on the bar or beside it. */
  [data-testid="stPlotlyChart"] .trace.scatter:not(:has(path.point)):not(:has(.js-line))
    .textpoint:nth-child(even) text { transform: translateY(2.7em); fill: #ffffff !important;
    stroke: rgba(0, 0, 0, 0.6); stroke-width: 2.5px; paint-order: stroke; stroke-linejoin: round; }
  /* The 两增一减 small multiples (charts.trend): three panels in 390 px leave no room for
     their axes' numbers beside the value labels ("657" sat on "31,000"); every point is
     labelled with its value, so the axis numbers go. */
  .st-key-trend .yaxislayer-above text, .st-key-groups_population_trend .yaxislayer-above text { display: none; }
  [data-testid="stPlotlyChart"] [class$="tick"] text,
  [data-testid="stPlotlyChart"] .legendtext { font-size: 10px !important; }
  [data-testid="stPlotlyChart"] .gtitle { font-size: 14px !important; }
}
</style>
"""


def follow_theme() -> None:
    """Inject the watcher (hidden; call once per run, before the page draws)."""
    with st.container(key="page_chrome"):
        chrome = _CHROME_JS.replace("WORDS", json.dumps(labels.CHROME_ZH, ensure_ascii=False))
        watch = _WATCH_JS % {"served": charts.theme_type()}
        page_css = _HIDE + _PRINT_CSS + _CHROME_CSS + _PHONE_CSS + _TABLE_HINT_CSS
        remember = _REMEMBER_JS.replace("PATHS", json.dumps(["", *navigation_paths()]))
        st.html(
            page_css + _LOGO_CSS + _PRINT_JS + _TABLE_HINT_JS + chrome + watch + remember,
            unsafe_allow_javascript=True,
        )


def navigation_paths() -> list[str]:
    """The url paths of every page (and the overview's twin), for the theme's keys."""
    from dashboard import navigation

    return sorted(
        {spec.key for spec in (*navigation.PAGES, *navigation.ADMIN_PAGES)} | {navigation.DEFAULT_RESERVED_PATH}
    )


def _logo_css() -> str:
    """In dark theme the sidebar logo is its dark variant (light text: the light one's dark
    blue read 1.86:1 on the dark sidebar)."""
    import base64
    from pathlib import Path

    svg = (Path(__file__).parent / "assets" / "logo_dark.svg").read_bytes()
    url = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    return (
        "<style>html[data-scheme='dark'] img[data-testid='stSidebarLogo'], "
        "html[data-scheme='dark'] img[data-testid='stHeaderLogo'], "
        f"html[data-scheme='dark'] img[data-testid='stLogo'] {{ content: url('{url}'); }}</style>"
    )


_LOGO_CSS = _logo_css()


CHART_CONFIG = {"displayModeBar": False}


def plot(fig, key: str, **kwargs):
    """Draw a figure the way every chart of the dashboard is drawn: in the colours it was built
    with (``theme=None``: Streamlit's own theme would override them) and without plotly's
    toolbar. ``kwargs`` go to ``st.plotly_chart`` (``on_select``, ``selection_mode``); returns
    its event."""
    return st.plotly_chart(fig, key=key, theme=None, config=CHART_CONFIG, **kwargs)
