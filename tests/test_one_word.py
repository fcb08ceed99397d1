"""One word for one thing (issue #26, point 4): a figure's name is the same on its card, in
tables, CSV headers and the comparison; years read "2018 年" everywhere on screen; person
categories in the one order 离休/退休/遗属; no "P90" a director has to decode."""

from __future__ import annotations

import json

from dashboard import labels, metrics
from tests import apptest_tools as tools


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _strings(v)


def test_one_name_per_figure():
    assert labels.COLUMNS["key_coverage"] == metrics.get("key_coverage").name == "重点对象联系覆盖率"
    assert metrics.get("key_coverage").label == metrics.get("key_coverage").name
    assert labels.COLUMNS["pairing"] == metrics.get("pairing").name == "结对覆盖率"
    texts = [s for name in dir(labels) if name.isupper() for s in _strings(getattr(labels, name))]
    assert not [t for t in texts if "P90" in t]
    assert not [t for t in texts if "重点对象覆盖率" in t]


def test_pages_say_it_the_same_way(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    contacts = tools.open_page(monkeypatch, url, "pages/contacts.py", {"year": "2020"})
    pairing = tools.frame(contacts, "结对方式")
    assert "结对覆盖率" in pairing.columns and "联系覆盖率" not in pairing.columns
    by_category = tools.frame(contacts, "人员类别")
    assert by_category["人员类别"].tolist() == ["离休干部", "退休干部", "遗属"]
    money = tools.open_page(monkeypatch, url, "pages/money.py", {"year": "2020"})
    assert [c for c in tools.frame(money, "人员类别", "帮扶人数")["人员类别"]] == [
        "离休干部",
        "退休干部",
        "遗属",
        "合计",
    ]
    assert tools.frame(money, "人员类别", "登记困难人数")["人员类别"].tolist() == ["离休干部", "退休干部", "遗属"]
    overview = tools.open_page(monkeypatch, url, "pages/overview.py", {"year": "2020"})
    groups = tools.open_page(monkeypatch, url, "pages/groups.py", {"year": "2020"})
    for at, key in ((overview, "trend"), (groups, "groups_population_trend"), (groups, "groups_share_trend")):
        chart = next(c for c in at.get("plotly_chart") if c.proto.id.rsplit("-", 1)[-1].startswith(key))
        xs = json.loads(chart.proto.spec)["data"][0]["x"]
        assert xs and all(str(x).endswith(" 年") for x in xs), (key, xs)
    services = tools.open_page(monkeypatch, url, "pages/services.py", {"year": "2020"})
    delta = tools.metrics(services)["平均办理天数"][1]
    assert "九成在 " in delta and delta.endswith(" 天内") and "P90" not in delta


def test_every_count_above_a_rate_says_what_it_counts(monkeypatch, sqlite_demo_path):
    """An unlabelled "587 人" above "99.5%" read as a head count of something: it now reads
    "已联系 587 人" (labels.COUNT_WHAT, by the catalogue's key)."""
    url = f"sqlite:///{sqlite_demo_path}"
    for page in ("overview", "contacts", "branches", "money", "services", "suggestions", "talent"):
        at = tools.open_page(monkeypatch, url, f"pages/{page}.py", {"year": "2020"})
        for m in at.metric:
            value = tools.reading(m.value)
            if " · " in value and value.endswith("%"):
                count = value.split(" · ")[0]
                assert not count[0].isdigit() and count[0] != "<", (page, m.label, value)
    assert set(labels.COUNT_WHAT) <= set(metrics.BY_KEY)


def test_the_contacts_page_says_how_unreached_and_overdue_differ(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/contacts.py", {"year": "2020"})
    shown = tools.metrics(at)
    assert shown["联系覆盖率"][1].startswith("未联系 ") and shown["逾期未联系"][0].endswith(" 人")
    assert any("“未联系”" in c.value and "“逾期未联系”" in c.value for c in at.caption)
