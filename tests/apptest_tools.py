"""Helpers for AppTest page tests: open a page, simulate a chart click, find tables."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "streamlit_app.py")


def use_demo_ledger(monkeypatch, url: str) -> None:
    """Serve ``url`` (a SQLite file) as the embedded demo ledger: demo mode, no sign-in."""
    monkeypatch.delenv("SERVICE_DB_URL", raising=False)
    monkeypatch.setenv("SERVICE_DEMO_DB", url.removeprefix("sqlite:///"))


def open_page(monkeypatch, url: str, page: str, params: dict | None = None) -> AppTest:
    """A fresh session opening ``page`` with URL parameters (as a pasted link would)."""
    use_demo_ledger(monkeypatch, url)
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def select_point(at: AppTest, chart_key_prefix: str, custom_id: str) -> AppTest:
    """Send the selection event a click on the bar whose customdata is ``custom_id`` sends."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.rsplit("-", 1)[-1].startswith(chart_key_prefix))
    tree = at._tree
    original = tree.get_widget_states

    def with_selection():
        states = original()
        w = states.widgets.add()
        w.id = chart.proto.id
        w.string_value = json.dumps(
            {
                "selection": {
                    "points": [{"customdata": [custom_id], "point_index": 0}],
                    "point_indices": [0],
                    "box": [],
                    "lasso": [],
                }
            }
        )
        return states

    tree.get_widget_states = with_selection
    at.run()
    assert not at.exception
    return at


def frame(at: AppTest, *columns: str):
    """The shown table whose headers start with ``columns``."""
    for df in (d.value for d in at.dataframe):
        if list(df.columns[: len(columns)]) == list(columns):
            return df
    raise AssertionError(f"no table with columns {columns}")


def reading(value: str) -> str:
    """A card's value as labels.COUNT_RATE words it: ":small[625 人]  \n100.0%" (the count
    on its own line) -> "625 人 · 100.0%"."""
    return re.sub(r":small\[(.*?)\]\s*", r"\1 · ", value)


def without_yoy(card: tuple[str, str | None]) -> tuple[str, str | None]:
    """A card's (value, reading) without the 同比 part 总览 appends (issue 26, item 11):
    "▲ 超支：快于序时 0.4 个百分点 · -0.4 个百分点（同比）" -> "▲ 超支：快于序时 0.4 个百分点"."""
    value, delta = card
    if delta:
        delta = " · ".join(p for p in delta.split(" · ") if not p.endswith(("（同比）", "（环比）"))) or None
    return value, delta


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (reading(m.value), m.delta) for m in at.metric}


PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "leader": {"role": "city"},
    "gaolan": {"role": "district", "area": "620122"},
    "admin": {"role": "admin"},
    "auditor": {"role": "city", "unmask": True},
    # Aggregates only (no lists of people): small cells hidden from them.
    "observer": {"role": "city", "person_lists": False},
    "gaolan_summary": {"role": "district", "area": "620122", "person_lists": False},
}


def access_file(tmp_path, **extra) -> str:
    """A DASHBOARD_ACCESS_FILE with the test accounts (all with PASSWORD)."""
    from dashboard.passwords import hash_password

    digest = hash_password(PASSWORD, salt=b"fixed-test-salt!")
    lines = ["[access]", 'mode = "local"']
    lines += [f'{k} = "{v}"' for k, v in extra.items()]
    for name, acc in ACCOUNTS.items():
        lines += [
            "[[access.accounts]]",
            f'username = "{name}"',
            f'password_hash = "{digest}"',
            f'role = "{acc["role"]}"',
        ]
        if "area" in acc:
            lines.append(f'area = "{acc["area"]}"')
        if acc.get("unmask"):
            lines.append("unmask = true")
        if acc.get("person_lists") is False:
            lines.append("person_lists = false")
    path = tmp_path / "access.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def signed_in(
    monkeypatch,
    tmp_path,
    username: str,
    page: str | None = None,
    params: dict | None = None,
    password: str = PASSWORD,
    audit_url: str | None = None,
) -> AppTest:
    """A fresh session on the configured service database, signed in as ``username``."""
    monkeypatch.setenv("DASHBOARD_ACCESS_FILE", access_file(tmp_path))
    monkeypatch.setenv("AUDIT_DB_URL", audit_url or f"sqlite:///{tmp_path / 'audit.sqlite'}")
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button[0].click()
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def hiding_small_cells(monkeypatch, tmp_path, url: str, page: str, params: dict | None = None, user: str = "observer"):
    """A fresh session on ``url`` (served as a configured database) signed in as an account
    without lists of people: the viewer whose small cells the data layer hides."""
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", url)
    at = signed_in(monkeypatch, tmp_path, user, page, params)
    assert not at.exception, [e.message for e in at.exception]
    return at


class Computed:
    """The names of the cached results (``data.query`` reads and ``data.derived`` figures)
    whose value was computed rather than found, while recording."""

    def __init__(self, monkeypatch):
        from dashboard import data

        self.names: list[str] = []
        real = data.RESULTS.get

        def get(key, compute):
            return real(key, lambda: self.names.append(f"{key[2]}.{key[3]}") or compute())

        monkeypatch.setattr(data.RESULTS, "get", get)

    def derived(self, module: str) -> set[str]:
        """The derived figures of ``module`` (``dashboard.services_view``) computed so far."""
        return {n.removeprefix(f"memo.{module}.") for n in self.names if n.startswith(f"memo.{module}.")}


def warm_run_computes_nothing(
    monkeypatch, url: str, page: str, module: str, expected: set[str], params: dict | None = None
) -> None:
    """A page's first run derives ``expected`` (figures of ``module``); running it again in the
    same session, with every cache warm, computes nothing: no query, no derived figure. Starts
    from empty caches (an earlier test in the process may have opened the same view)."""
    from dashboard import data

    data.clear_caches()
    computed = Computed(monkeypatch)
    at = open_page(monkeypatch, url, page, params)
    assert expected <= computed.derived(module)
    computed.names.clear()
    at.run()
    assert not at.exception
    assert computed.names == []
