"""工作简报 in a real Chromium: the briefing with its comparison, the 口径 on hover of a
sentence, and the PDF and Word files downloaded through the buttons and read back."""

from __future__ import annotations

import io

import pytest

from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle
from tests.test_briefing import REPORT_FIGURES


@pytest.fixture(scope="module")
def server(sqlite_demo_path, tmp_path_factory):
    require_browser()
    audit = tmp_path_factory.mktemp("audit") / "audit.sqlite"
    with streamlit_server(f"sqlite:///{sqlite_demo_path}", env={"AUDIT_DB_URL": f"sqlite:///{audit}"}) as base:
        yield base


def test_briefing_page_and_its_files(server):
    from docx import Document
    from pypdf import PdfReader

    with browser_page(1440, 1200) as page:
        page.goto(f"{server}/briefing?as_of=2019-12-31&compare=2018-12-31")
        wait_idle(page)
        page.wait_for_selector(".briefing", timeout=60_000)
        text = page.inner_text(".briefing")
        for figure in REPORT_FIGURES:
            assert figure in text.replace("\n", ""), figure
        assert "较上年同期减少44人" in text
        tip = page.locator(".briefing span[title]").first.get_attribute("title")
        assert tip.startswith("【离休干部】")
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, "page_briefing")
        files = {}
        for label in ("下载 PDF", "下载 Word"):
            with page.expect_download(timeout=60_000) as dl:
                page.get_by_role("button", name=label).click()
            files[label] = (dl.value.suggested_filename, open(dl.value.path(), "rb").read())
    name, pdf = files["下载 PDF"]
    assert name == "工作简报_全市_截至2019-12-31_对比.pdf"
    flat = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "").replace(" ", "")
    for figure in REPORT_FIGURES:
        assert figure in flat, figure
    name, word = files["下载 Word"]
    assert name.endswith(".docx")
    body = "".join(p.text for p in Document(io.BytesIO(word)).paragraphs)
    assert "较上年同期减少44人" in body
