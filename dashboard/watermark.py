"""The faint watermark over the dashboard: who is looking, and when.

For signed-in users only (not in demo mode, where nobody signs in). The account and the
time, tiled across the whole window above everything, so a screenshot or a photo of the
screen says whose session it came from; it takes no clicks (``pointer-events: none``) and
prints on every page. The meeting screen (a kiosk page) can turn it off with
``?watermark=0`` — nobody is at its keyboard, and it shows no personal data.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Mapping

import streamlit as st

from dashboard import labels

PARAM = "watermark"
OFF = ("0", "off", "false", "no")
TILE_W, TILE_H = 380, 230
COLOUR = "rgba(128, 128, 128, 0.13)"  # faint on the light and the dark theme alike
FONTS = "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', 'Source Han Sans SC', sans-serif"


def text(account: str, at: dt.datetime) -> str:
    return labels.WATERMARK.format(account=account, at=at.strftime("%Y-%m-%d %H:%M"))


def tile(account: str, at: dt.datetime) -> str:
    """One tile of the pattern: the account and time, and 内部资料 below, slanted."""
    lines = (text(account, at), labels.INTERNAL)
    spans = "".join(
        f'<tspan x="{TILE_W // 2}" dy="{0 if i == 0 else 22}">{html.escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{TILE_W}" height="{TILE_H}">'
        f'<text x="{TILE_W // 2}" y="{TILE_H // 2}" text-anchor="middle" font-size="15" fill="{COLOUR}" '
        f'font-family="{html.escape(FONTS)}" transform="rotate(-22 {TILE_W // 2} {TILE_H // 2})">{spans}</text></svg>'
    )


def css(account: str, at: dt.datetime) -> str:
    """The overlay as a style block (no element of its own: Streamlit puts a style-only
    block where it takes no room). Fixed over the window, above the app, click-through,
    kept when printing."""
    data = base64.b64encode(tile(account, at).encode("utf-8")).decode("ascii")
    return (
        "<style>\n"
        "body::after { content: ''; position: fixed; inset: 0; z-index: 1000010; pointer-events: none;\n"
        f"  background-image: url('data:image/svg+xml;base64,{data}'); background-repeat: repeat;\n"
        "  -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
        "</style>"
    )


def wanted(user, kiosk: bool, params: Mapping[str, str]) -> bool:
    """Signed-in users see it; the demo user does not; a kiosk page may turn it off."""
    if user is None or getattr(user, "source", "demo") == "demo":
        return False
    return not (kiosk and str(params.get(PARAM, "")).lower() in OFF)


def show(user, kiosk: bool = False) -> None:
    """Draw the watermark for this run (call once per run, from the entry script)."""
    if wanted(user, kiosk, st.query_params):
        st.html(css(user.user_id, dt.datetime.now()))
