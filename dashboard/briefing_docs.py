"""The briefing as files: Word (python-docx) and PDF (reportlab), in the format of a Chinese
official briefing, and its charts as PNG images (Pillow). No Streamlit here: the page hands
in a finished :class:`dashboard.briefing.Briefing` and a stamp (account, time), and each
build is self-contained — no shared state beyond reportlab's font registry, which is filled
once at import — so a build never waits on another session's.

Layout after GB/T 9704 (党政机关公文格式) where it fits a briefing: A4; title in a Song-style
face (小标宋 where installed, else 宋体), centred; the issuing unit and date on one line under
it; headings 一、二、三、四 in 黑体; body in 仿宋 三号 (16 pt) with a two-character indent;
page numbers "— 1 —" at the foot; the footer line 内部资料 · account · time.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard import labels
from dashboard.briefing import Briefing, Chart
from data_access import rules

_LOG = logging.getLogger(__name__)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"

TITLE_FONT = "方正小标宋简体"  # Word falls back to a Song face where it is not installed
TITLE_FALLBACK = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"
PDF_FONT = "STSong-Light"  # reportlab's built-in Adobe CID font: Chinese without a font file

CHART_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("C:/Windows/Fonts/msyh.ttc"),
)


@dataclass(frozen=True)
class Stamp:
    """Who took the file and when (the footer), and whether the ledger is the demo."""

    account: str
    taken_at: dt.datetime
    demo: bool = False

    @property
    def footer(self) -> str:
        return labels.BRIEFING_FOOTER.format(account=self.account, at=self.taken_at.strftime("%Y-%m-%d %H:%M"))


def issuer_line(b: Briefing, stamp: Stamp) -> str:
    from dashboard.briefing import date_text

    return labels.BRIEFING_ISSUER.format(org=labels.ORG_NAME, date=date_text(stamp.taken_at.date()))


# ---------------------------------------------------------------------------- charts


def _chart_font(size: int):
    from PIL import ImageFont

    for path in CHART_FONTS:
        if path.is_file():
            try:
                return ImageFont.truetype(str(path), size, index=2 if path.name.startswith("NotoSansCJK") else 0)
            except OSError:
                continue
    return None


BLUE, ORANGE, GREY, INK, GREEN = (0, 114, 178), (230, 159, 0), (150, 150, 150), (33, 33, 33), (0, 158, 115)
SERIES_COLOURS = ((0, 114, 178), (230, 159, 0), (0, 158, 115))


def chart_png(chart: Chart) -> bytes | None:
    """A chart as a PNG (None without a Chinese font to label it: no chart of boxes)."""
    font, small = _chart_font(26), _chart_font(22)
    if font is None:
        return None
    if chart.series:
        return _small_multiples(chart, font, small)
    return _bars(chart, font, small)


def _bars(chart: Chart, font, small) -> bytes:
    """Horizontal bars with their values and a reference line (the city, time progress)."""
    from PIL import Image, ImageDraw

    row, top, left, right = 44, 70, 200, 150
    width = 1400
    height = top + row * len(chart.names) + 70
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((20, 16), chart.title, font=font, fill=INK)
    values = [max(0.0, v) for v in chart.values]
    top_value = max([*values, chart.reference or 0, 1.0 if chart.kind == "rate" else 1])
    span = width - left - right
    for i, (name, v) in enumerate(zip(chart.names, values)):
        y = top + i * row
        d.text((20, y + 6), name, font=small, fill=INK)
        lagging = chart.kind == "rate" and chart.key != "budget" and rules.lags(v, chart.reference)
        d.rectangle([left, y + 6, left + span * v / top_value, y + row - 6], fill=ORANGE if lagging else BLUE)
        text = f"{v * 100:.1f}%" if chart.kind == "rate" else f"{v:,.0f}"
        d.text((left + span * v / top_value + 8, y + 8), ("▼ " if lagging else "") + text, font=small, fill=INK)
    if chart.reference is not None:
        x = left + span * chart.reference / top_value
        bottom = top + row * len(chart.names)
        for y in range(top, bottom, 12):
            d.line([(x, y), (x, y + 6)], fill=GREEN, width=3)
        ref = f"{chart.reference * 100:.1f}%" if chart.kind == "rate" else f"{chart.reference:,.0f}"
        note = labels.BRIEFING_CHART_REFERENCE.format(label=chart.reference_label, value=ref)
        d.text((left, bottom + 16), note, font=small, fill=INK)
    return _png(img)


def _small_multiples(chart: Chart, font, small) -> bytes:
    """One row of bars per series (each on its own scale: 700 veterans beside 32,000 retirees)."""
    from PIL import Image, ImageDraw

    rows = len(chart.series)
    col, top, left, band = 220, 70, 200, 150
    width = max(900, left + col * len(chart.names) + 40)
    height = top + band * rows + 40
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((20, 16), chart.title, font=font, fill=INK)
    for r, (name, values) in enumerate(chart.series):
        y0 = top + r * band
        d.text((20, y0 + band // 2 - 14), name, font=small, fill=INK)
        peak = max([*values, 1])
        for i, v in enumerate(values):
            x = left + i * col
            h = (band - 70) * v / peak
            d.rectangle([x + 30, y0 + band - 40 - h, x + col - 30, y0 + band - 40], fill=SERIES_COLOURS[r % 3])
            d.text((x + 30, y0 + band - 40 - h - 28), f"{v:,.0f}", font=small, fill=INK)
            if r == rows - 1:
                d.text((x + 60, y0 + band - 34), chart.names[i], font=small, fill=INK)
    return _png(img)


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def chart_images(b: Briefing) -> list[tuple[str, bytes]]:
    out = []
    for chart in b.charts:
        try:
            png = chart_png(chart)
        except Exception as exc:  # a chart that cannot be drawn leaves the text whole
            _LOG.error("briefing chart %s not drawn: %s", chart.key, exc)
            png = None
        if png:
            out.append((chart.title, png))
    return out


def _whole(b: Briefing) -> None:
    if b.problem or not b.sections:
        raise ValueError(f"no briefing to write: {b.problem or 'empty'}")


# ---------------------------------------------------------------------------- Word


def _east_asian(run, name: str, latin: str = LATIN_FONT) -> None:
    from docx.oxml.ns import qn

    run.font.name = latin
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE) that Word fills in when it lays out the page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin, instr, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)
    return run


def docx_bytes(b: Briefing, stamp: Stamp, changes: Mapping[str, str] | None = None, images=None) -> bytes:
    """The briefing as a .docx; ``images`` are its charts already drawn (else drawn here).
    A briefing that could not be written has no file (never one with a title only)."""
    _whole(b)
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    props = doc.core_properties
    props.title = b.title
    props.author = labels.ORG_NAME
    props.category = labels.INTERNAL
    props.comments = stamp.footer

    def para(text: str, font: str, size: float, *, align=None, indent: bool = False, bold: bool = False):
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing = Pt(28) if size >= 16 else None
        fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        _east_asian(run, font)
        return p

    title = para(b.title, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    _east_asian(title.runs[0], TITLE_FONT)
    title.runs[0].font.name = TITLE_FALLBACK
    para(labels.BRIEFING_DOC_SUBTITLE.format(date=b.date_text), BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(issuer_line(b, stamp), BODY_FONT, 14, align=WD_ALIGN_PARAGRAPH.CENTER)
    if stamp.demo:
        para(labels.BRIEFING_DEMO, BODY_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER)
    for heading, paragraphs in b.paragraph_texts(changes):
        para(heading, HEADING_FONT, 16, indent=True)
        for text in paragraphs:
            para(text, BODY_FONT, 16, indent=True)
    images = chart_images(b) if images is None else images
    if images:
        para(labels.BRIEFING_CHARTS, HEADING_FONT, 16, indent=True)
        for caption, png in images:
            doc.add_picture(io.BytesIO(png), width=Mm(150))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            para(caption, BODY_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER)

    footer = sec.footer
    number = footer.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("— ", None, " —"):
        run = number.add_run(text) if text else _field(number, "PAGE")
        run.font.size = Pt(14)
        _east_asian(run, BODY_FONT)
    line = footer.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = line.add_run(stamp.footer)
    run.font.size = Pt(9)
    _east_asian(run, BODY_FONT)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------- PDF


def _register_pdf_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


def pdf_bytes(b: Briefing, stamp: Stamp, changes: Mapping[str, str] | None = None, images=None) -> bytes:
    """The briefing as a PDF; ``images`` are its charts already drawn (else drawn here)."""
    _whole(b)
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer

    _register_pdf_font()
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=14, leading=26, firstLineIndent=28, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=15, spaceBefore=6)
    title = ParagraphStyle("title", fontName=PDF_FONT, fontSize=20, leading=32, alignment=TA_CENTER, wordWrap="CJK")
    centred = ParagraphStyle("centred", fontName=PDF_FONT, fontSize=12, leading=22, alignment=TA_CENTER)
    caption = ParagraphStyle("caption", parent=centred, fontSize=10.5)

    story = [
        Paragraph(escape(b.title), title),
        Paragraph(escape(labels.BRIEFING_DOC_SUBTITLE.format(date=b.date_text)), centred),
        Paragraph(escape(issuer_line(b, stamp)), centred),
    ]
    if stamp.demo:
        story.append(Paragraph(escape(labels.BRIEFING_DEMO), caption))
    story.append(Spacer(1, 10))
    for head, paragraphs in b.paragraph_texts(changes):
        story.append(Paragraph(escape(head), heading))
        story += [Paragraph(escape(text), body) for text in paragraphs]
    images = chart_images(b) if images is None else images
    if images:
        story.append(Paragraph(escape(labels.BRIEFING_CHARTS), heading))
        for cap, png in images:
            from PIL import Image as PILImage

            w, h = PILImage.open(io.BytesIO(png)).size
            width = 150 * mm
            story += [Image(io.BytesIO(png), width=width, height=width * h / w), Paragraph(escape(cap), caption)]

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(PDF_FONT, 12)
        canvas.drawCentredString(A4[0] / 2, 22 * mm, labels.BRIEFING_PAGE_NUMBER.format(n=doc.page))
        canvas.setFont(PDF_FONT, 8)
        canvas.drawCentredString(A4[0] / 2, 15 * mm, stamp.footer)
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        title=b.title,
        author=labels.ORG_NAME,
        subject=labels.INTERNAL,
        creator=labels.APP_TITLE,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
