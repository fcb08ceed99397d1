"""bench.concurrency: simultaneous websocket sessions on a real ``streamlit run`` server."""

from __future__ import annotations

import json

from bench import concurrency


def test_three_sessions_render_each_page(sqlite_demo_path, tmp_path):
    out = tmp_path / "result.json"
    docs = tmp_path / "performance.md"
    docs.write_text("# Performance\n\nearlier text\n", encoding="utf-8")
    argv = ["--url", f"sqlite:///{sqlite_demo_path}", "--sessions", "3", "--rounds", "2", "--timeout", "120"]
    assert concurrency.main([*argv, "--docs", str(docs), "--json", str(out)]) == 0

    result = json.loads(out.read_text(encoding="utf-8"))
    rows = {(r["round"], r["page"]): r for r in result["detail"]}
    assert set(rows) == {(rnd, page) for rnd in ("cold", "warm") for page in ("overview", "contacts")}
    for row in rows.values():
        assert row["ok"] == 3 and not row["errors"], row["errors"]
        for s in row["sessions_detail"]:
            assert s["ok"] and s["title_seen"] and not s["exceptions"]
            assert s["deltas"] > 20  # the whole page, not a sign-in form or an error page
            assert 0 < s["total_s"] < 120
            assert 0 < s["page_s"] < 120  # the page opened again on the same socket
        assert row["p50_s"] <= row["p95_s"] <= row["max_s"]
        assert row["page_run_cpu_s"] > 0 and row["page_p50_s"] <= row["page_p95_s"]
    assert result["peak_rss_mb"] > result["start_rss_mb"] > 0

    text = docs.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n\nearlier text\n")
    assert text.count(concurrency.START) == 1 and text.rstrip().endswith(concurrency.END)
    assert "| cold | overview | 3 | 3 |" in text


def test_signed_in_sessions_on_a_configured_database(sqlite_demo_path):
    """A configured database needs sign-in: each session submits the form, then gets the page."""
    rc = concurrency.main(
        [
            *("--url", f"sqlite:///{sqlite_demo_path}", "--sign-in", "--sessions", "2", "--rounds", "1"),
            *("--pages", "contacts", "--timeout", "120", "--docs", ""),
        ]
    )
    assert rc == 0


def test_docs_section_keeps_other_ledgers(tmp_path):
    docs = tmp_path / "performance.md"
    docs.write_text(f"# P\n\n{concurrency.START}\nold\n{concurrency.END}\n\n## After\n", encoding="utf-8")
    row = {
        "round": "cold",
        "page": "overview",
        "sessions": 1,
        "ok": 1,
        "min_s": 1.0,
        "p50_s": 1.0,
        "p95_s": 1.0,
        "max_s": 1.0,
        "server_cpu_s": 0.5,
        "peak_rss_mb": 100.0,
        "errors": [],
        "load_before": 0.1,
    }
    base = {"date": "d", "machine": "m", "streamlit": "s", "command": "c", "start_rss_mb": 50.0, "peak_rss_mb": 100.0}
    concurrency.write_docs(docs, {**base, "ledger": "a", "rows": [row]})
    text = docs.read_text(encoding="utf-8")
    docs.write_text(text.replace(concurrency.END, "<!-- notes -->\nwhat it means\n<!-- /notes -->\n" + concurrency.END))
    concurrency.write_docs(docs, {**base, "ledger": "b", "rows": [row]})
    concurrency.write_docs(docs, {**base, "ledger": "a", "rows": [{**row, "p50_s": 2.0}]})
    text = docs.read_text(encoding="utf-8")
    assert text.startswith("# P\n\n") and text.endswith("\n\n## After\n") and "\nold\n" not in text
    assert "| b | cold | overview | 1 | 1 | 1,000 | 1,000 |" in text and text.count("\nwhat it means\n") == 1
    assert "| a | cold | overview | 1 | 1 | 1,000 | 2,000 |" in text
    assert "| a | cold | overview | 1 | 1 | 1,000 | 1,000 |" not in text


def _row(rnd: str, page: str, n: int, p50: float) -> dict:
    return {
        **{"round": rnd, "page": page, "sessions": n, "ok": n, "p50_s": p50, "p95_s": p50 * 1.1, "max_s": p50 * 1.2},
        **{"min_s": p50 / 2, "signin_p50_s": 0.0, "deltas": [90], "errors": [], "server_cpu_s": n * 0.07},
        **{"peak_rss_mb": 300.0, "load_before": 1.0, "page_p95_s": p50 / 2, "page_run_cpu_s": n * 0.05},
    }


def test_proxy_report_sits_beside_the_one_process_figures(tmp_path):
    """--proxy writes its own section: each proxied figure beside the one-process figure."""
    side = {
        **{"ledger": "embedded demo", "date": "d", "machine": "m", "streamlit": "1", "app": "a", "sign_in": False},
        **{"peak_rss_mb": 400.0, "replicas": 0, "rows": [_row("warm", "overview", 20, 2.0)]},
    }
    prox = {**side, "replicas": 2, "rows": [_row("warm", "overview", 20, 1.5)]}
    docs = tmp_path / "performance.md"
    docs.write_text("# Performance\n\n<!-- notes -->\nnot this one\n<!-- /notes -->\n", encoding="utf-8")
    for _ in range(2):  # a rerun on the same ledger replaces its rows
        concurrency.write_proxy_docs(docs, {"command": "c", "one": side, "proxy": prox})
    text = docs.read_text(encoding="utf-8")
    assert text.count(concurrency.PSTART) == 1 and text.count("| embedded demo | warm | overview |") == 1
    assert "| 20 | 20 | 2,000 | 2,200 | 70 | 1,000 | 50 | 2 | 20 | 1,500 | 1,650 | 70 | 750 | 50 |" in text
    old = {**side, "rows": [{k: v for k, v in side["rows"][0].items() if not k.startswith("page_")}]}
    concurrency.write_proxy_docs(docs, {"command": "c", "one": old, "proxy": prox})  # measured before the column
    assert "| 20 | 20 | 2,000 | 2,200 | 70 | — | — | 2 |" in docs.read_text(encoding="utf-8")


def test_soak_report_puts_the_curves_side_by_side(tmp_path):
    from bench import soak

    def curve(rss):
        return {
            **{"runs": 100, "failed": 0, "cpu_per_run_ms": 80.0, "wall_s": 10.0, "peak_rss_mb": max(rss)},
            "samples": [{"runs": i * 50, "rss_mb": r, "s": i} for i, r in enumerate(rss)],
        }

    result = {
        **{"command": "c", "date": "d", "machine": "m", "ledger": "l", "app": "a", "parallel": 2, "every": 50},
        **{"off": curve([70, 300, 310]), "on": curve([70, 298, 305])},
    }
    docs = tmp_path / "performance.md"
    soak.write_docs(docs, result)
    soak.write_docs(docs, result)
    text = docs.read_text(encoding="utf-8")
    assert text.count(soak.START) == 1 and "| 100 | 310 | 305 |" in text
