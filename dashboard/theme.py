"""Browser-side helpers of the page chrome: charts that follow a theme switch.

Plotly figures are coloured on the server from ``st.context.theme.type`` (the theme the
browser reported when the run started). Streamlit does not rerun when the viewer switches
between light and dark in the ⋮ menu (streamlit#11920), and the first run of a session may
report the theme before the browser settled it; this script watches the app's background
and asks for one rerun when it no longer matches the theme the charts were drawn in.
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts

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
    var idle = document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]');
    if (now && idle && now !== W.served && W.asked !== now) { W.asked = now; rerun(); }
  };
  if (!W.timer) W.timer = setInterval(function () { W.check(); }, 800);
})();
</script>
"""

_HIDE = "<style>.st-key-page_chrome { display: none; }</style>"


def follow_theme() -> None:
    """Inject the watcher (hidden; call once per run, before the page draws)."""
    with st.container(key="page_chrome"):
        st.html(_HIDE + _WATCH_JS % {"served": charts.theme_type()}, unsafe_allow_javascript=True)
