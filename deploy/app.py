"""The dashboard as one ASGI app: ``streamlit run deploy/app.py`` (what ``make run`` starts).

The same Streamlit server and entry script (``streamlit_app.py``) as ``streamlit run
streamlit_app.py``, with one route of its own: ``/screen`` answers with a redirect to the
same meeting screen at the root address (``/?screen=1``, its parameters kept). Opened at a
sub-path, Streamlit's frontend first probes ``/screen/_stcore/health`` and
``/screen/_stcore/host-config`` — two 404s on every load of a wall screen (upstream
streamlit/streamlit#7074) — before it finds its server at the root; at the root it probes
nothing else. Behind the proxy (``make serve``) HAProxy answers ``/screen`` the same way
(deploy/haproxy.cfg.template).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.responses import RedirectResponse
from starlette.routing import Route

ENTRY = Path(__file__).resolve().parent.parent / "streamlit_app.py"


def screen_at_root(request) -> RedirectResponse:
    """``/screen?dwell=30`` (or ``/screen/?dwell=30``) -> ``/?screen=1&dwell=30``, under
    whatever base path the server runs at; a path without a host, so any host name works."""
    root = request.url.path.rstrip("/").removesuffix("screen")
    query = request.url.query
    return RedirectResponse(f"{root}?screen=1" + (f"&{query}" if query else ""), status_code=302)


app = st.App(str(ENTRY), routes=[Route("/screen", screen_at_root), Route("/screen/", screen_at_root)])
