"""The set-up step `make run` performs: the demo ledger is built once, where configured."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_ensure_default_builds_the_demo_ledger_once(tmp_path):
    demo = tmp_path / "demo.sqlite"
    env = {"SERVICE_DEMO_DB": str(demo), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "data_access.demo", "--ensure-default"]
    first = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "demo ledger built" in first.stdout and demo.exists()
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "demo ledger present" in again.stdout
    configured = subprocess.run(
        cmd,
        cwd=ROOT,
        env={**env, "SERVICE_DB_URL": "sqlite:///elsewhere.db"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert configured.returncode == 0 and "no demo ledger needed" in configured.stdout
