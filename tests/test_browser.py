"""A real Chromium opens the dashboard served by ``streamlit run`` on 127.0.0.1."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dashboard import navigation
from data_access.db import make_engine
from tests.browser import browser_page, require_browser, screenshot, streamlit_server, wait_idle


@pytest.fixture(scope="module")
def server(sqlite_demo_path):
    require_browser()
    with streamlit_server(f"sqlite:///{sqlite_demo_path}") as base:
        yield base


def click_bar(page, chart_index: int = 0, bar_index: int = 0) -> None:
    """A real mouse click near the top of a bar (bars may extend below a zoomed axis)."""
    bars = page.locator("[data-testid='stPlotlyChart']").nth(chart_index).locator("g.trace.bars path")
    box = bars.nth(bar_index).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 12)


def metric_values(page) -> list[str]:
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def assert_clean(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Page not found" not in page.content()


@pytest.mark.parametrize("spec", navigation.PAGES, ids=lambda s: s.key)
def test_every_page_opens(server, spec):
    with browser_page(1600, 2600) as page:
        page.goto(f"{server}/{spec.key}")
        wait_idle(page)
        assert_clean(page)
        body = page.inner_text("body")
        assert "数据截至 2020-12-31" in body
        screenshot(page, f"page_{spec.key}")


def test_changing_a_filter_changes_the_numbers_and_the_url(server):
    with browser_page(1600, 1200) as page:
        page.goto(server)
        wait_idle(page)
        before = metric_values(page)
        assert "657 人" in before  # veterans alive at the end of 2020
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="统计年度").click()
        page.get_by_role("option", name="2019 年").click()
        page.wait_for_function("() => document.body.innerText.includes('703 人')", timeout=60_000)
        wait_idle(page)
        after = metric_values(page)
        assert "703 人" in after and after != before
        assert "year=2019" in page.url
        assert_clean(page)
        screenshot(page, "overview_2019")


def test_a_pasted_link_opens_the_same_view_with_a_notice(server):
    with browser_page(1600, 1200) as page:
        page.goto(f"{server}/?year=2019&area=620122&category=bogus")
        wait_idle(page)
        assert_clean(page)
        body = page.inner_text("body")
        assert "皋兰县" in body and "category=bogus" in body
        screenshot(page, "overview_link_with_notice")


def test_csv_download_is_excel_ready(server, tmp_path):
    with browser_page(1600, 2600) as page:
        page.goto(server)
        wait_idle(page)
        with page.expect_download() as info:
            page.get_by_role("button", name="下载 CSV").first.click()
        download = info.value
        assert download.suggested_filename.endswith("_2020年_截至2020-12-31.csv")
        data = open(download.path(), "rb").read()
        assert data.startswith(b"\xef\xbb\xbf")
        text = data[3:].decode("utf-8")
        assert text.splitlines()[0].startswith("区域,离休干部（人）")
        assert "皋兰县" in text


def test_bad_database_in_a_real_browser(tmp_path):
    require_browser()
    blank = tmp_path / "blank.sqlite"
    with make_engine(f"sqlite:///{blank}").connect() as c:
        c.execute(sa.text("CREATE TABLE unrelated (x INTEGER)"))
        c.commit()
    with streamlit_server(f"sqlite:///{blank}") as base, browser_page() as page:
        page.goto(base)
        wait_idle(page)
        assert_clean(page)
        assert "缺少必需的表" in page.inner_text("body")
        screenshot(page, "missing_tables")


def test_contacts_drill_by_clicking_a_bar(server):
    with browser_page(1600, 2400) as page:
        page.goto(f"{server}/contacts")
        wait_idle(page)
        assert_clean(page)
        screenshot(page, "contacts_city")
        chart = page.locator("[data-testid='stPlotlyChart']").first
        bars = chart.locator("g.trace.bars path")
        assert bars.count() == 9
        click_bar(page)  # the lowest bar: the most lagging area
        page.wait_for_url("**drill_area=**", timeout=60_000)
        wait_idle(page)
        assert_clean(page)
        assert "drill_area=620122" in page.url
        assert "皋兰县各单位联系覆盖率" in page.inner_text("body")
        screenshot(page, "contacts_area")
        click_bar(page)
        page.wait_for_url("**drill_unit=**", timeout=60_000)
        wait_idle(page)
        assert_clean(page)
        assert "人员名单" in page.inner_text("body")
        screenshot(page, "contacts_unit")
        page.get_by_role("button", name="全市").click()  # breadcrumb back to the city
        page.wait_for_function("() => !location.search.includes('drill_area')", timeout=60_000)
        wait_idle(page)
        page.wait_for_function(  # the city chart again: nine area bars (it redraws after the rerun)
            "() => { const c = document.querySelector('[data-testid=stPlotlyChart]');"
            " return !!c && c.querySelectorAll('g.trace.bars path').length === 9; }",
            timeout=30_000,
        )


def test_overdue_csv_download(server):
    with browser_page(1600, 2400) as page:
        page.goto(f"{server}/contacts?area=620122")
        wait_idle(page)
        overdue = page.locator("[data-testid='stMetricValue']").nth(2).inner_text()  # "183 人"
        buttons = page.get_by_role("button", name="下载 CSV")
        with page.expect_download() as info:
            buttons.nth(buttons.count() - 1).click()  # the last table on the page: the overdue list
        download = info.value
        assert "逾期未联系名单_皋兰县_2020年" in download.suggested_filename
        text = open(download.path(), "rb").read().decode("utf-8-sig")
        rows = text.strip().splitlines()
        assert rows[0].startswith("姓名,区域,单位")
        assert f"{len(rows) - 1:,} 人" == overdue
        assert all("*" in r.split(",")[0] for r in rows[1:])


def test_branches_drill_by_clicking_a_bar(server):
    with browser_page(1600, 2400) as page:
        page.goto(f"{server}/branches?year=2019")
        wait_idle(page)
        assert_clean(page)
        assert "318 个" in metric_values(page)
        screenshot(page, "branches_city")
        click_bar(page, 0, 0)  # 市直, the first area
        page.wait_for_url("**drill_area=city**", timeout=60_000)
        wait_idle(page)
        assert_clean(page)
        assert "支部名单" in page.inner_text("body")
        screenshot(page, "branches_area")


def test_money_drill_by_clicking_bars(server):
    with browser_page(1600, 2400) as page:
        page.goto(f"{server}/money")
        wait_idle(page)
        assert_clean(page)
        assert "182 人" in metric_values(page)
        screenshot(page, "money_city")
        click_bar(page, 0, 0)  # 市直
        page.wait_for_url("**drill_area=city**", timeout=60_000)
        wait_idle(page)
        screenshot(page, "money_area")
        click_bar(page, 0, 3)  # 特困帮扶, the fourth category
        page.wait_for_url("**drill_category=hardship_aid**", timeout=60_000)
        wait_idle(page)
        assert_clean(page)
        assert "支出明细" in page.inner_text("body")
        screenshot(page, "money_payments")


def test_districts_link_opens_the_filtered_topic_page_and_back(server):
    with browser_page(1600, 2400) as page:
        page.goto(f"{server}/districts")
        wait_idle(page)
        assert_clean(page)
        page.wait_for_timeout(1500)  # let the charts draw before the screenshot
        screenshot(page, "districts")
        page.get_by_role("link", name="在「联系覆盖」中查看市直").click()
        page.wait_for_url("**/contacts?**", timeout=60_000)
        wait_idle(page)
        assert_clean(page)
        assert "area=city" in page.url
        assert "2020 年 · 市直" in page.inner_text("body")
        screenshot(page, "districts_to_contacts")
        page.get_by_role("link", name="返回区县对比").click()
        page.wait_for_url("**/districts**", timeout=60_000)
        wait_idle(page)
        assert "area=" not in page.url


def test_filters_are_kept_when_the_page_changes(server):
    with browser_page(1600, 1200) as page:
        page.goto(f"{server}/?year=2019&area=620122")
        wait_idle(page)
        page.get_by_role("link", name="联系覆盖").first.click()
        page.wait_for_url("**/contacts**", timeout=60_000)
        wait_idle(page)
        assert_clean(page)
        assert "year=2019" in page.url and "area=620122" in page.url
        assert "2019 年 · 皋兰县" in page.inner_text("body")


def documented_links() -> list[str]:
    """Every dashboard address the README and the docs show (path and query)."""
    import re

    from tests.conftest import ROOT

    found = set()
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        found |= set(re.findall(r"localhost:\d+(/[a-z_]*\?[^\s`)]*)", text))
        found |= set(re.findall(r"`(/[a-z_]+\?[^\s`]*)`", text))
    return sorted(found)


def test_every_documented_link_opens_its_page(server):
    """The README's own example once opened a "Page not found" dialog: Streamlit serves the
    default page at "/" only. Each link is opened twice, the second time in a process that
    has left its first-request mode."""
    links = documented_links()
    assert "/overview?year=2019&area=620122&category=veteran" in links and len(links) >= 3
    titles = {spec.key: navigation.labels.PAGE_TITLES[spec.key] for spec in navigation.PAGES}
    with browser_page(1600, 1200) as page:
        for link in links + links:
            page.goto(server + link)
            wait_idle(page)
            assert_clean(page)
            assert page.get_by_text("Page not found").count() == 0, link
            key = link[1:].split("?", 1)[0]
            if key != "screen":  # (the meeting screen draws its own title)
                assert page.locator("h1").first.inner_text().strip() == titles[key], link


def test_url_values_in_notices_are_plain_text(server):
    """A value pasted into a link is quoted in the notice as written: no bold text, no live
    link, no image fetched from elsewhere, no icon or coloured span."""
    import urllib.parse

    value = "**bold** [link](http://evil.invalid/) ![img](http://evil.invalid/x.png) :red[red] http://evil.invalid"
    fetched: list[str] = []
    with browser_page(1600, 1200) as page:
        page.on(
            "request",
            lambda r: fetched.append(r.url) if urllib.parse.urlsplit(r.url).hostname == "evil.invalid" else None,
        )
        page.goto(f"{server}/?category={urllib.parse.quote(value)}")
        wait_idle(page)
        assert_clean(page)
        alert = page.locator("[data-testid='stAlert']").filter(has_text="category=")
        assert alert.count() == 1
        assert value in " ".join(alert.inner_text().replace("\u2060", "").split())
        assert alert.locator("a, img, strong, em, span[style*='color']").count() == 0
        assert not fetched


def test_an_oversized_link_is_not_ignored_silently(server):
    """Streamlit drops a query string of more than 1,000 parameters before the page sees it
    (``area=city`` 2,000 times): the page says so instead of quietly showing the default."""
    from dashboard import labels

    with browser_page(1600, 1200) as page:
        page.goto(f"{server}/?" + "&".join(["area=city"] * 2000))
        wait_idle(page)
        assert_clean(page)
        page.wait_for_selector("#oversized-link-notice:not([hidden])", timeout=10_000)
        assert labels.URL_NOTICE_OVERSIZED in page.inner_text("body")
        page.goto(f"{server}/?area=city")  # an ordinary link: no such notice
        wait_idle(page)
        assert labels.URL_NOTICE_OVERSIZED not in page.inner_text("body")


def test_no_request_leaves_the_server(server):
    """Offices often have no internet: the page (its icon included) loads everything from
    the dashboard's own server."""
    import urllib.parse

    outside: list[str] = []
    with browser_page(1600, 1200) as page:
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if urllib.parse.urlsplit(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:")
                else None
            ),
        )
        page.goto(server)
        wait_idle(page)
        page.wait_for_timeout(1500)  # the favicon is set after the first run
        assert_clean(page)
        icon = page.eval_on_selector("link[rel*='icon']", "e => e.href")
        assert urllib.parse.urlsplit(icon).hostname in ("127.0.0.1", None), icon
    assert not outside, outside
