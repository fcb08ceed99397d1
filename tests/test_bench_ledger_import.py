"""The ledger-import benchmark runs end to end on a small workbook and writes its section of
docs/performance.md without touching the other sections."""

from __future__ import annotations

from bench import ledger_import


def test_benchmark_runs_and_writes_its_section(tmp_path, monkeypatch):
    docs = tmp_path / "performance.md"
    docs.write_text("# Performance\n\n<!-- analysis:start -->\nreading\n<!-- analysis:end -->\n", encoding="utf-8")
    monkeypatch.setattr(ledger_import, "DOCS", docs)
    results = ledger_import.run(3_000, None)
    steps = [name for name, *_ in results]
    assert any("openpyxl alone" in s for s in steps) and any("python-calamine" in s for s in steps)
    assert next(note for name, _, _, note in results if name.startswith("load the same")).endswith("unchanged")
    ledger_import.write_docs(results, 3_000, None)
    ledger_import.write_docs(results, 3_000, None)  # a rerun replaces its block
    text = docs.read_text(encoding="utf-8")
    assert "reading" in text and text.count("## Ledger import") == 1
    assert "| load into an empty database (one transaction) |" in text
