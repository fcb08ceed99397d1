"""The 工作简报 page's parts: its URL parameters, the briefing on screen (口径 on hover of
each sentence, the change on a comparison date marked), the two briefings' differences, the
charts it cites, and the audited Word and PDF downloads.

URL: ``/briefing?as_of=YYYY-MM-DD&area=…&compare=YYYY-MM-DD`` (``area`` is the global filter;
a district account gets its own area only). A bad value puts a Chinese sentence in place of
the briefing (or, for ``compare``, a notice), never a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from dashboard import audit_log, data, export, labels
from dashboard import briefing as bf
from dashboard import briefing_docs as docs
from dashboard.context import PageContext

_LOG = logging.getLogger(__name__)

AS_OF_PARAM, COMPARE_PARAM = "as_of", "compare"
KEYS = {"as_of": "b_as_of", "compare": "b_compare", "compare_date": "b_compare_date", "diff": "b_diff"}
_SEEN = "_briefing_url"  # the parameters this session last read or wrote


@dataclass(frozen=True)
class Request:
    as_of: dt.date | None
    compare: dt.date | None
    problem: str | None = None  # in place of the briefing
    notices: tuple[str, ...] = ()


def first_day(ctx: PageContext) -> dt.date:
    return dt.date(ctx.first_year, 1, 1)


def parse(params: Mapping[str, list[str]], ctx: PageContext, notices: list[str] | tuple = ()) -> Request:
    """The briefing date and the comparison date from the URL, checked against the ledger:
    (pure: the page and the tests call it)."""
    first, last = first_day(ctx), ctx.as_of
    bounds = {"first": first.isoformat(), "last": last.isoformat()}
    unknown = unknown_areas(notices)
    if unknown:
        return Request(None, None, labels.BRIEFING_BAD["unknown_area"].format(value="、".join(unknown)))
    raw = [v for v in params.get(AS_OF_PARAM, []) if v]
    as_of = last
    if raw:
        try:
            as_of = dt.date.fromisoformat(raw[0].strip())
        except ValueError:
            return Request(None, None, labels.BRIEFING_BAD["bad_date"].format(value=raw[0][:40]))
        if as_of < first:
            return Request(None, None, labels.BRIEFING_BAD["before_ledger"].format(value=as_of.isoformat(), **bounds))
        if as_of > last:
            return Request(None, None, labels.BRIEFING_BAD["after_as_of"].format(value=as_of.isoformat(), **bounds))
    compare, out_notices = None, []
    raw = [v for v in params.get(COMPARE_PARAM, []) if v]
    if raw:
        try:
            compare = dt.date.fromisoformat(raw[0].strip())
        except ValueError:
            compare = None
        if compare is None or not (first <= compare < as_of):
            out_notices.append(labels.BRIEFING_BAD["bad_compare"].format(value=raw[0][:40], **bounds))
            compare = None
    return Request(as_of, compare, None, tuple(out_notices))


_AREA_NOTICE = re.compile(
    re.escape(labels.URL_NOTICE).replace(re.escape("{param}"), "area").replace(re.escape("{value}"), "(.*)")
)


def unknown_areas(notices) -> list[str]:
    """The ``area`` values of the link that the global filters dropped (unknown, or outside
    this account's scope): the briefing of such an area cannot be written."""
    return [m.group(1) for m in (_AREA_NOTICE.fullmatch(n) for n in notices) if m]


def header_context(ctx: PageContext, req: Request) -> PageContext:
    """The context the page header describes: the briefing's own period (1 January to the
    briefing date, as the widget or the link has it) in place of the sidebar's year."""
    ss = st.session_state
    url = {k: st.query_params.get_all(k) for k in (AS_OF_PARAM, COMPARE_PARAM)}
    day = ss.get(KEYS["as_of"]) if url == ss.get(_SEEN) else req.as_of
    if not isinstance(day, dt.date) or req.problem:
        return ctx
    shown = dataclasses.replace(ctx.selection, filters=bf.briefing_context(ctx, day).filters, year=None)
    return dataclasses.replace(ctx, selection=shown)


# ---------------------------------------------------------------------------- controls


def controls(ctx: PageContext, req: Request) -> Request:
    """简报日期 and 对比 widgets, loaded from the URL when it changed, written back to it."""
    ss = st.session_state
    url = {k: st.query_params.get_all(k) for k in (AS_OF_PARAM, COMPARE_PARAM)}
    if KEYS["as_of"] not in ss or url != ss.get(_SEEN):
        ss[KEYS["as_of"]] = req.as_of
        if req.compare is None:
            ss[KEYS["compare"]] = "none"
        elif req.compare == bf.year_ago(req.as_of):
            ss[KEYS["compare"]] = "last_year"
        else:
            ss[KEYS["compare"]] = "custom"
            ss[KEYS["compare_date"]] = req.compare
    left, mid, right = st.columns([1, 1, 1])
    as_of = left.date_input(
        labels.BRIEFING_AS_OF,
        key=KEYS["as_of"],
        min_value=first_day(ctx),
        max_value=ctx.as_of,
        help=labels.BRIEFING_AS_OF_HELP,
        format="YYYY-MM-DD",
    )
    mode = mid.selectbox(
        labels.BRIEFING_COMPARE,
        list(labels.BRIEFING_COMPARE_OPTIONS),
        key=KEYS["compare"],
        format_func=labels.BRIEFING_COMPARE_OPTIONS.get,
    )
    compare = None
    if mode == "last_year":
        compare = bf.year_ago(as_of)
    elif mode == "last_quarter":
        quarter_start = dt.date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
        compare = quarter_start - dt.timedelta(days=1)
    elif mode == "custom":
        if KEYS["compare_date"] not in ss:
            ss[KEYS["compare_date"]] = bf.year_ago(as_of)
        compare = right.date_input(
            labels.BRIEFING_COMPARE_DATE,
            key=KEYS["compare_date"],
            min_value=first_day(ctx),
            max_value=ctx.as_of,
            format="YYYY-MM-DD",
        )
    notices = list(req.notices)
    if compare is not None and not (first_day(ctx) <= compare < as_of):
        bounds = {"first": first_day(ctx).isoformat(), "last": ctx.as_of.isoformat()}
        notices.append(labels.BRIEFING_BAD["bad_compare"].format(value=compare.isoformat(), **bounds))
        compare = None
    written = {AS_OF_PARAM: [as_of.isoformat()], COMPARE_PARAM: [compare.isoformat()] if compare else []}
    for k, v in written.items():
        if st.query_params.get_all(k) != v:
            if v:
                st.query_params[k] = v
            elif k in st.query_params:
                del st.query_params[k]
    ss[_SEEN] = {k: v for k, v in written.items()}
    return Request(as_of, compare, None, tuple(notices))


# ---------------------------------------------------------------------------- on screen

_CSS = """<style>
.briefing { font-family: "FangSong", "STFangsong", "仿宋", "Noto Serif CJK SC", "Songti SC", serif;
  font-size: 1.15rem; line-height: 2; max-width: 52em; }
.briefing h1 { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; text-align: center;
  font-size: 1.7rem; margin: .2em 0; }
.briefing .sub { text-align: center; margin: 0 0 .8em 0; }
.briefing h3 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 1.2rem;
  margin: .8em 0 .2em 0; }
.briefing p { text-indent: 2em; margin: 0 0 .3em 0; }
.briefing span[title] { border-bottom: 1px dotted rgba(128,128,128,.6); cursor: help; }
.briefing .chg { color: #0072B2; }
html[data-scheme='dark'] .briefing .chg { color: #56B4E9; }  /* 3.5:1 -> 7.6:1 on dark */
.briefing-diff { font-family: "FangSong", "STFangsong", "Noto Serif CJK SC", serif; line-height: 1.9; }
.briefing-diff del { background: rgba(213,94,0,.18); text-decoration: line-through; }
.briefing-diff ins { background: rgba(0,158,115,.22); text-decoration: none; }
.briefing-diff h4 { margin: .6em 0 .2em 0; }
</style>"""
_OPEN, _CLOSE = "\x01", "\x02"


def _sentence_html(s: bf.Sentence, changes: Mapping[str, str] | None) -> str:
    marked = {k: f"{_OPEN}{v}{_CLOSE}" for k, v in (changes or {}).items()}
    text = html.escape(s.text(marked)).replace(_OPEN, '<span class="chg">').replace(_CLOSE, "</span>")
    tip = s.definition
    return f'<span title="{html.escape(tip)}">{text}</span>' if tip else text


def briefing_html(b: bf.Briefing, changes: Mapping[str, str] | None = None) -> str:
    parts = [_CSS, '<div class="briefing">', f"<h1>{html.escape(b.title)}</h1>"]
    parts.append(f'<p class="sub">{html.escape(labels.BRIEFING_DOC_SUBTITLE.format(date=b.date_text))}</p>')
    for sec in b.sections:
        parts.append(f"<h3>{html.escape(sec.title)}</h3>")
        for i, para in enumerate(sec.paragraphs, 1):
            lead = f"{i}. " if sec.numbered else ""
            parts.append("<p>" + lead + "".join(_sentence_html(s, changes) for s in para) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def _marked(text: str, spans, tag: str) -> str:
    out, at = [], 0
    for i, j in spans:
        out += [html.escape(text[at:i]), f"<{tag}>{html.escape(text[i:j])}</{tag}>"]
        at = j
    out.append(html.escape(text[at:]))
    return "".join(out)


def diff_html(diffs: list[bf.Diff], side: str) -> str:
    parts, last = [_CSS, '<div class="briefing-diff">'], None
    for d in diffs:
        if d.section != last:
            parts.append(f"<h4>{html.escape(d.section)}</h4>")
            last = d.section
        text, spans, tag = (d.before, d.spans_before, "del") if side == "before" else (d.after, d.spans_after, "ins")
        parts.append(f"<p>{_marked(text, spans, tag)}</p>")
    parts.append("</div>")
    return "".join(parts)


def show(ctx: PageContext, req: Request) -> None:
    """The briefing (or the sentence in its place), the comparison, the charts, the files."""
    bctx = bf.briefing_context(ctx, req.as_of)
    b = bf.build(bctx)
    if b.problem:
        st.info(b.problem, icon=":material/info:")
        return
    changes, earlier = None, None
    if req.compare is not None:
        earlier = bf.build(bf.briefing_context(ctx, req.compare))
        if earlier.problem is None:
            changes = bf.compared_with(b, earlier, bf.when_text(req.as_of, req.compare))
        else:
            earlier = None
    images = data.memo("briefing.charts", bctx.cache_key(), lambda: docs.chart_images(b))
    downloads(ctx, b, changes, images)
    st.html(briefing_html(b, changes))
    links(bctx, b)
    if earlier is not None and st.toggle(labels.BRIEFING_SHOW_DIFF, key=KEYS["diff"]):
        st.subheader(labels.BRIEFING_DIFF_TITLE)
        diffs = bf.diff(b, earlier)
        left, right = st.columns(2)
        left.markdown(f"**{labels.BRIEFING_DIFF_BEFORE.format(date=bf.date_text(req.compare))}**")
        left.html(diff_html(diffs, "before"))
        right.markdown(f"**{labels.BRIEFING_DIFF_AFTER.format(date=bf.date_text(req.as_of))}**")
        right.html(diff_html(diffs, "after"))
    if images:
        with st.expander(labels.BRIEFING_CHARTS):
            for caption, png in images:
                st.image(png, caption=caption)


def links(bctx: PageContext, b: bf.Briefing) -> None:
    """四、需要关注: a link per item to the page (and area) that lists it, for the briefing's
    own period (1 January to its date) and areas."""
    from dashboard import navigation, url_state

    items = [s for sec in b.sections if sec.key == "attention" and sec.numbered for p in sec.paragraphs for s in p]
    if not items:
        return
    base = url_state.to_params(dataclasses.replace(bctx.selection, year=None), bctx.as_of)
    with st.container(horizontal=True, gap="small"):
        for i, s in enumerate(items, 1):
            st.page_link(
                navigation.link_target(s.page or "overview"),
                label=labels.BRIEFING_ATTENTION_LINK.format(n=i, page=labels.PAGE_TITLES.get(s.page or "overview", "")),
                icon=":material/arrow_forward:",
                query_params={**base, **{k: list(v) for k, v in s.link}},
            )


# ---------------------------------------------------------------------------- downloads


def file_stem(b: bf.Briefing) -> str:
    stem = labels.BRIEFING_FILE.format(where=b.where, date=b.as_of.isoformat())
    return "".join(ch for ch in stem if ch not in '\\/:*?"<>|')


def stamp(ctx: PageContext) -> docs.Stamp:
    account = str(getattr(ctx.user, "user_id", None) or "-")
    return docs.Stamp(account, dt.datetime.now().replace(microsecond=0), ctx.is_demo)


def downloads(ctx: PageContext, b: bf.Briefing, changes, images) -> None:
    """下载 Word / 下载 PDF: built on click from the briefing on screen, each audited as an
    export (file name, so the format, and the number of sentences)."""
    stem = file_stem(b)
    if changes:
        stem += "_对比"
    log = audit_log.export_recorder()
    rows = len(b.sentences())
    with st.container(horizontal=True, gap="small"):
        for label, ext, mime, render, icon in (
            (labels.BRIEFING_DOWNLOAD_WORD, "docx", docs.DOCX_MIME, docs.docx_bytes, ":material/description:"),
            (labels.BRIEFING_DOWNLOAD_PDF, "pdf", docs.PDF_MIME, docs.pdf_bytes, ":material/picture_as_pdf:"),
        ):
            name = f"{stem}.{ext}"
            st.download_button(
                label,
                data=export.audited(name, rows, False, log, _render(render, b, ctx, changes, images)),
                file_name=name,
                mime=mime,
                key=f"briefing_{ext}",
                on_click="ignore",
                help=labels.BRIEFING_DOWNLOAD_HELP,
                icon=icon,
            )


def _render(render, b: bf.Briefing, ctx: PageContext, changes, images):
    """The file's bytes, whole or not at all: a build that fails is logged and raises, so
    no half-written file is ever handed out."""

    def build() -> bytes:
        try:
            return render(b, stamp(ctx), changes, images)
        except Exception:
            _LOG.exception("briefing file not built")
            raise

    return build
