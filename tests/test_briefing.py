"""工作简报 (issue 25): the report's paragraph reproduced from the demo ledger at 2019-12-31 —
in the generated text, in the .docx read back with python-docx and in the PDF's text read
back with pypdf —, natural Chinese, the comparison, the small-cell rewrite, bad input, and
the page with its audited downloads."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import briefing as bf
from dashboard import briefing_docs as docs
from dashboard import briefing_view as view
from dashboard import labels
from dashboard.context import PageContext
from dashboard.data import clear_caches
from dashboard.url_state import Selection
from data_access.filters import Filters, Period, Scope
from tests import apptest_tools as tools

REPORT_DAY = dt.date(2019, 12, 31)
LEDGER_AS_OF = dt.date(2020, 12, 31)

# Every figure of the report's paragraph (一、离退休干部基本情况), as the briefing writes it.
REPORT_FIGURES = (
    "共有离休干部703人",
    "平均年龄89.8岁",
    "市属离休干部535人",
    "区县离休干部168人",
    "解放战争时期参加革命638人",
    "抗日战争时期参加革命65人",
    "正地级5人",
    "副地级44人",
    "县级及以下654人",
    "无固定收入遗属356人",
    "遗属共107人",
    "机关事业单位退休干部32,197人",
    "市级机关单位3,566人",
    "区县机关单位5,386人",
    "乡镇1,141人",
    "事业单位22,104人",
    "副地级实职以上退休干部90名",
    "正地级10人",
    "副地级80人",
    "离退休干部党支部318个",
    "市直机关事业单位离退休干部党支部171个",
    "临时党支部61个",
    "区县离退休干部党支部86个",
    "服务离退休干部党员1.1万人",
    "担任书记的支部有270个",
)


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()
    yield
    clear_caches()
    st.cache_resource.clear()


def serve(monkeypatch, url: str) -> None:
    """Let dashboard.data read ``url`` (a SQLite file as the embedded demo, a server as
    the configured database)."""
    if url.startswith("sqlite:///"):
        monkeypatch.delenv("SERVICE_DB_URL", raising=False)
        monkeypatch.setenv("SERVICE_DEMO_DB", url.removeprefix("sqlite:///"))
    else:
        monkeypatch.setenv("SERVICE_DB_URL", url)


def context(areas: tuple[str, ...] | None = None, scope: Scope | None = None, names=None) -> PageContext:
    from dashboard import data

    frame = data.areas()
    if names:
        frame = pd.concat([frame, pd.DataFrame({"code": list(names), "name": list(names.values())})])
    return PageContext(
        Selection(Filters(Period.year(LEDGER_AS_OF.year, LEDGER_AS_OF), areas=areas), LEDGER_AS_OF.year),
        scope or Scope.everything(),
        data.as_of(),
        data.first_year(),
        frame,
        True,
        None,
    )


def basics_text(b: bf.Briefing) -> str:
    sections = dict(b.paragraph_texts())
    return "".join(sections[labels.BRIEFING_SECTIONS["basics"]])


def assert_natural_chinese(text: str) -> None:
    assert not re.search(r"[A-Za-z]", text), re.findall(r"[A-Za-z]+", text)
    for bad in (
        "None",
        "nan",
        "<5",
        "（已隐藏）",
        "—",
        "{",
        "}",
        "，，",
        "。。",
        "；。",
        "，。",
        "列示。）。",
        "列示。）；",
    ):
        assert bad not in text, bad


def url_of(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_basics_reproduce_the_report_paragraph(monkeypatch, ledger):
    """The key test: 一、基本情况 at 2019-12-31, city scope, holds every figure of the
    report's paragraph — in the text, the .docx and the PDF — on each database."""
    serve(monkeypatch, url_of(ledger))
    b = bf.build(bf.briefing_context(context(), REPORT_DAY))
    assert b.problem is None
    text = basics_text(b)
    for figure in REPORT_FIGURES:
        assert figure in text, figure
    assert text.startswith("截至2019年12月31日，全市共有离休干部703人")
    assert_natural_chinese(b.text())

    stamp = docs.Stamp("leader", dt.datetime(2020, 1, 6, 9, 30))
    from docx import Document

    word = Document(io.BytesIO(docs.docx_bytes(b, stamp)))
    body = "\n".join(p.text for p in word.paragraphs)
    for figure in REPORT_FIGURES:
        assert figure in body, figure
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(docs.pdf_bytes(b, stamp)))
    flat = "".join(page.extract_text() for page in pdf.pages).replace("\n", "").replace(" ", "")
    for figure in REPORT_FIGURES:
        assert figure in flat, figure


def test_sections_in_the_report_order_and_register(monkeypatch, sqlite_demo_path):
    serve(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    b = bf.build(bf.briefing_context(context(), REPORT_DAY))
    titles = [t for t, _ in b.paragraph_texts()]
    assert titles == ["一、基本情况", "二、队伍变化", "三、工作进展", "四、需要关注"]
    sections = dict(b.paragraph_texts())
    changes = "".join(sections["二、队伍变化"])
    assert "“两增一减”" in changes and "离休干部703人，较上年同期减少" in changes
    progress = "".join(sections["三、工作进展"])
    # The key cohort's full coverage at 2019 (the report: 全覆盖), with its count and judgement.
    assert "重点对象联系覆盖率100.0%（已联系625人），实现全覆盖" in progress
    for words in ("序时进度", "特困帮扶", "组织生活完成率", "银发人才库", "按期答复率", "达标率"):
        assert words in progress
    attention = sections["四、需要关注"]
    assert attention and all(re.match(r"\d+\. .+（详见“.+”页）。$", line) for line in attention)
    # Every sentence with a figure carries its 口径 (shown on hover).
    for s in b.sentences():
        if s.figures:
            assert s.definition and "【" in s.definition
    assert_natural_chinese(b.text())


def test_figures_are_the_pages_figures(monkeypatch, sqlite_demo_path):
    """The briefing reads the loaders the pages read: its coverage, branches and aid equal
    the overview's headline for the same period."""
    from dashboard import overview

    serve(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    bctx = bf.briefing_context(context(), REPORT_DAY)
    figs = bf.build(bctx).figures()
    h = overview.headline(bctx)
    assert figs["coverage"].value == h.coverage["coverage"]
    assert figs["key_coverage"].value == h.key_coverage["coverage"]
    assert figs["branches"].value == h.branches["branches"]
    assert figs["aid_recipients"].value == h.aid["recipients"]
    assert figs["veteran_age"].shown == "89.8岁"


def test_comparison_adds_the_change_after_each_figure(monkeypatch, sqlite_demo_path):
    serve(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    ctx = context()
    now = bf.build(bf.briefing_context(ctx, REPORT_DAY))
    before = bf.build(bf.briefing_context(ctx, dt.date(2018, 12, 31)))
    when = bf.when_text(REPORT_DAY, dt.date(2018, 12, 31))
    assert when == "上年同期"
    changes = bf.compared_with(now, before, when)
    d = int(now.figures()["veterans"].value) - int(before.figures()["veterans"].value)
    assert d < 0
    text = now.text(changes)
    assert f"共有离休干部703人，较上年同期减少{-d}人" in text
    assert "正地级5人，与上年同期持平" in text
    assert "较上年同期增加1,156人，较上年同期" not in text  # 两增一减 states its change once
    assert re.search(
        r"联系覆盖率\d+\.\d%，较上年同期(提高|下降)\d+\.\d个百分点|联系覆盖率\d+\.\d%，与上年同期持平", text
    )
    assert_natural_chinese(text)
    # Another date than a year earlier is named by its date.
    assert bf.when_text(REPORT_DAY, dt.date(2019, 9, 30)) == "2019年9月30日"
    diffs = bf.diff(now, before)
    changed = [x for x in diffs if x.spans_after]
    assert changed and all(x.before != x.after for x in changed)


def test_small_cells_are_rewritten_not_printed(monkeypatch, sqlite_demo_path):
    """For a viewer whose small cells are hidden, a district's briefing leaves hidden
    breakdowns out (with a note) instead of printing "<5" in the prose."""
    serve(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    scope = Scope.only(["620122"]).hiding_small_cells()
    b = bf.build(bf.briefing_context(context(("620122",), scope), REPORT_DAY))
    text = b.text()
    assert_natural_chinese(text)
    assert "皋兰县" in text
    visible = Scope.only(["620122"])
    whole = bf.build(bf.briefing_context(context(("620122",), visible), REPORT_DAY)).text()
    assert_natural_chinese(whole)
    if text != whole:
        assert labels.BRIEFING_TEXT["hidden_note"] in text


def test_a_scope_with_nobody_gets_a_sentence(monkeypatch, sqlite_demo_path):
    serve(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    ctx = context(("620171",), names={"620171": "兰州新区"})
    b = bf.build(bf.briefing_context(ctx, REPORT_DAY))
    assert b.problem == "兰州新区在 2019年12月31日 没有在册的服务对象，无法撰写简报。"
    assert b.sections == ()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"as_of": ["2017-06-30"]}, "早于台帐数据的起始日（2018-01-01）"),
        ({"as_of": ["2021-01-01"]}, "晚于数据截至日（2020-12-31）"),
        ({"as_of": ["2019-13-01"]}, "无法识别"),
        ({"as_of": ["<script>"]}, "无法识别"),
    ],
)
def test_bad_dates_are_a_sentence(params, expected):
    ctx = PageContext(
        Selection(Filters(Period.year(2020)), 2020), Scope.everything(), LEDGER_AS_OF, 2018, pd.DataFrame()
    )
    req = view.parse(params, ctx)
    assert req.problem and expected in req.problem


def test_bad_comparison_is_a_notice_and_the_briefing_stays():
    ctx = PageContext(
        Selection(Filters(Period.year(2020)), 2020), Scope.everything(), LEDGER_AS_OF, 2018, pd.DataFrame()
    )
    req = view.parse({"as_of": ["2019-12-31"], "compare": ["2020-06-30"]}, ctx)
    assert req.problem is None and req.compare is None and req.notices
    req = view.parse({"as_of": ["2019-12-31"], "compare": ["2018-12-31"]}, ctx)
    assert req.compare == dt.date(2018, 12, 31)


def test_unknown_area_from_the_global_notice():
    notice = labels.URL_NOTICE.format(param="area", value="999999")
    assert view.unknown_areas([notice, labels.URL_NOTICE.format(param="year", value="x")]) == ["999999"]


def test_word_and_pdf_format(monkeypatch, sqlite_demo_path):
    from docx import Document
    from pypdf import PdfReader

    serve(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    b = bf.build(bf.briefing_context(context(), REPORT_DAY))
    stamp = docs.Stamp("leader", dt.datetime(2020, 1, 6, 9, 30))
    word = Document(io.BytesIO(docs.docx_bytes(b, stamp)))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "全市离退休干部工作简报"
    assert texts[1] == "（截至2019年12月31日）"
    assert texts[2].startswith(labels.ORG_NAME) and texts[2].endswith("2020年1月6日")
    assert [t for t in texts if re.match("^[一二三四]、", t)] == [
        "一、基本情况",
        "二、队伍变化",
        "三、工作进展",
        "四、需要关注",
    ]
    body = next(p for p in word.paragraphs if p.text.startswith("截至"))
    fonts = body.runs[0]._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == docs.BODY_FONT
    footer = word.sections[0].footer
    assert "内部资料 · 导出账号：leader · 导出时间：2020-01-06 09:30" in [p.text for p in footer.paragraphs]
    assert "PAGE" in footer._element.xml  # the page-number field
    assert len(word.inline_shapes) == len(b.charts) == 3  # the cited charts as images
    # The file holds the page's text, paragraph for paragraph.
    for title, paragraphs in b.paragraph_texts():
        assert title in texts
        for text in paragraphs:
            assert text in texts

    pdf = PdfReader(io.BytesIO(docs.pdf_bytes(b, stamp)))
    first = pdf.pages[0].extract_text()
    assert "全市离退休干部工作简报" in first and "— 1 —" in first
    assert "内部资料 · 导出账号：leader" in first
    assert len(pdf.pages[0].images) == 0 and any(p.images for p in pdf.pages)


def test_page_writes_the_briefing_and_audits_both_files(monkeypatch, sqlite_demo_path, tmp_path):
    import streamlit as st

    audit_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    monkeypatch.setenv("AUDIT_DB_URL", audit_url)
    builds = {}
    original = st.download_button

    def capture(label, data=None, *args, **kwargs):
        builds[kwargs.get("file_name")] = data
        return original(label, b"", *args, **kwargs)

    monkeypatch.setattr(st, "download_button", capture)
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/briefing.py", {"as_of": "2019-12-31"})
    page = "".join(h.proto.body for h in at.get("html"))
    for figure in REPORT_FIGURES:
        assert figure in page, figure
    assert 'title="【离休干部】' in page  # 口径 on hover
    # The header names the briefing's period, not the sidebar's year.
    assert "2019-01-01 至 2019-12-31 · 全市" in at.caption[0].value
    names = sorted(n for n in builds if n.startswith("工作简报"))
    assert names == ["工作简报_全市_截至2019-12-31.docx", "工作简报_全市_截至2019-12-31.pdf"]
    for name in names:
        assert len(builds[name]()) > 1000
    with sa.create_engine(audit_url).connect() as c:
        rows = c.execute(sa.text("SELECT file_name, page FROM audit_events WHERE action = 'export'")).all()
    assert sorted(r[0] for r in rows) == names
    assert {r[1] for r in rows} == {"briefing"}


def test_page_bad_input_is_one_chinese_sentence(monkeypatch, sqlite_demo_path):
    for params, words in (
        ({"as_of": "2017-01-01"}, "早于台帐数据的起始日"),
        ({"as_of": "2099-01-01"}, "晚于数据截至日"),
    ):
        at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/briefing.py", params)
        assert [e.value for e in at.error] and words in at.error[0].value
        assert not at.get("download_button")
    # An unknown area in a pasted link.
    from streamlit.testing.v1 import AppTest

    tools.use_demo_ledger(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    at = AppTest.from_file(tools.APP, default_timeout=120)
    at.run()
    at.query_params["area"] = "999999"
    at.switch_page("pages/briefing.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [labels.BRIEFING_BAD["unknown_area"].format(value="999999")]


def test_page_with_comparison_and_diff(monkeypatch, sqlite_demo_path):
    at = tools.open_page(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        "pages/briefing.py",
        {"as_of": "2019-12-31", "compare": "2018-12-31"},
    )
    page = "".join(h.proto.body for h in at.get("html"))
    assert '<span class="chg">较上年同期减少' in page
    at.toggle(key=view.KEYS["diff"]).set_value(True).run()
    assert not at.exception
    page = "".join(h.proto.body for h in at.get("html"))
    assert "<ins>" in page and "<del>" in page


def test_district_account_gets_only_its_area(monkeypatch, sqlite_demo_path, tmp_path):
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{sqlite_demo_path}")
    at = tools.signed_in(monkeypatch, tmp_path, "gaolan", "pages/briefing.py", {"as_of": "2019-12-31"})
    assert not at.exception
    page = "".join(h.proto.body for h in at.get("html"))
    assert "皋兰县离退休干部工作简报" in page and "全市离退休干部工作简报" not in page
    # Another area in the link: the Chinese sentence, not that area's briefing.
    at = tools.signed_in(monkeypatch, tmp_path, "gaolan", None, {"as_of": "2019-12-31"})
    at.query_params["area"] = "620102"
    at.switch_page("pages/briefing.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [labels.BRIEFING_BAD["unknown_area"].format(value="620102")]
    assert "城关区" not in "".join(h.proto.body for h in at.get("html"))


def test_every_figure_is_a_catalogue_record_or_a_breakdown_of_one(monkeypatch, sqlite_demo_path):
    """Names and 口径 come from dashboard.metrics; the report's breakdowns that have no card
    of their own carry the briefing's record (labels.BRIEFING_FIGURES)."""
    from dashboard import metrics

    serve(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    b = bf.build(bf.briefing_context(context(), REPORT_DAY))
    seen = 0
    for s in b.sentences():
        for f in s.figures:
            if f.key in metrics.BY_KEY:
                m = metrics.get(f.key)
                assert (f.name, f.definition) == (m.name, m.help)
                seen += 1
            else:
                names = {m.name for m in metrics.ALL} | {v[0] for v in labels.BRIEFING_FIGURES.values()}
                assert f.name in names, f.key
    assert seen >= 20
    # A figure read through the catalogue equals the record's own total over its query.
    figs = b.figures()
    bctx = bf.briefing_context(context(), REPORT_DAY)
    for key in ("veterans", "key_coverage", "execution", "tl_pool", "sg_received"):
        m = metrics.get(key)
        assert figs[key].value == m.total(m.load(bctx.filters, bctx.scope, bctx.as_of))[0]


def test_file_builds_do_not_hold_up_other_sessions(monkeypatch, sqlite_demo_path):
    """Word and PDF builds share no lock: while two builds run in threads (Streamlit builds a
    download in a worker thread), another session's work keeps getting turns — no pause of
    a second."""
    import threading
    import time

    serve(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    b = bf.build(bf.briefing_context(context(), REPORT_DAY))
    images = docs.chart_images(b)
    stamp = docs.Stamp("leader", dt.datetime(2020, 1, 6, 9, 30))
    done = threading.Event()

    def builds():
        for _ in range(3):
            docs.docx_bytes(b, stamp, None, images)
            docs.pdf_bytes(b, stamp, None, images)
        done.set()

    workers = [threading.Thread(target=builds) for _ in range(2)]
    for w in workers:
        w.start()
    last, longest = time.monotonic(), 0.0
    while not done.is_set():
        time.sleep(0.005)
        now = time.monotonic()
        longest, last = max(longest, now - last), now
    for w in workers:
        w.join()
    assert longest < 1.0


def test_attention_items_link_to_their_pages(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/briefing.py", {"as_of": "2019-12-31"})
    links = [x for x in at.get("page_link") if x.proto.label.startswith("第")]
    assert links and links[0].proto.label.startswith("第1项：查看「")
    assert all("start=2019-01-01" in x.proto.query_string and "end=2019-12-31" in x.proto.query_string for x in links)


def test_aggregates_only_account_reads_no_small_cell(monkeypatch, sqlite_demo_path, tmp_path):
    """An account whose small cells are hidden reads prose without "<5" or "（已隐藏）"."""
    at = tools.hiding_small_cells(
        monkeypatch,
        tmp_path,
        f"sqlite:///{sqlite_demo_path}",
        "pages/briefing.py",
        {"as_of": "2019-12-31"},
        user="gaolan_summary",
    )
    page = "".join(h.proto.body for h in at.get("html") if "briefing" in h.proto.body)
    assert "皋兰县离退休干部工作简报" in page
    prose = re.sub(r"<[^>]+>", "", re.sub(r'title="[^"]*"', "", page))
    assert "&lt;5" not in prose and "<5" not in prose and "（已隐藏）" not in prose
    assert [b.proto.label for b in at.get("download_button")] == ["下载 Word", "下载 PDF"]
