"""`make serve`'s shape through the real HAProxy: two replicas behind the proxy
(deploy/serve.py), headers, stickiness, websocket page runs, health checks, sign-in, the
meeting screen, downloads, and faults (a replica killed, the database gone and back).

Runs in CI (``.ci/run`` installs haproxy); elsewhere skipped only when haproxy is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench import concurrency as cc
from dashboard import labels
from deploy.serve import cookie_secret, frame_ancestors, render, server_states
from tests.conftest import IN_CI, unavailable

PORTS = range(8620, 8650)  # this project's test range for the proxy and its replicas
ERROR_TEXTS = [t.split("{")[0] for t in labels.ERRORS.values()]


def haproxy_or_skip() -> None:
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        if IN_CI:
            pytest.fail("haproxy must be installed in CI (.ci/run installs it)", pytrace=False)
        unavailable("proxy", "haproxy is not installed (apt-get install haproxy)")


def port_block(n: int) -> int:
    """The first of ``n`` consecutive free ports, in :data:`PORTS` where possible."""
    for first in range(PORTS.start, PORTS.stop - n + 1):
        try:
            for p in range(first, first + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
        except OSError:
            continue
        return first
    return cc.free_block(n)  # the range is taken: any free ports


class Ws:
    """One browser tab's websocket session, through the proxy."""

    def __init__(self, port: int, replica: str | None = None) -> None:
        from websockets.sync.client import connect

        headers = {"Cookie": f"DASHSRV={replica}"} if replica else None
        self.ws = connect(  # noqa: SIM115 - held open across calls, closed by close()
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=60,
            close_timeout=2,
            additional_headers=headers,
        ).__enter__()
        self.headers = self.ws.response.headers
        given = re.search(r"DASHSRV=(\w+)", " ".join(self.headers.get_all("Set-Cookie")))
        self.replica = replica or (given.group(1) if given else None)

    def run(self, page: str, query: str = "", widgets: dict | None = None, timeout: float = 120) -> cc.Run:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.ws.send(cc.rerun_msg(page, widgets, query))
        run, deadline = cc.Run(), time.monotonic() + timeout
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            run.add(msg)
            if msg.WhichOneof("type") == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return run
                assert msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN, msg.script_finished

    def sign_in(self, page: str = "overview") -> cc.Run:
        form = self.run(page)
        widgets = {
            form.text_inputs["signin_username"]: cc.BENCH_USER,
            form.text_inputs["signin_password"]: cc.BENCH_PASSWORD,
            form.submit: True,
        }
        return self.run(page, widgets=widgets)

    def close(self) -> None:
        self.ws.close()


def wait_for(check, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        try:
            got = check()
        except Exception:  # noqa: BLE001 - not yet
            got = None
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


def pids(run_dir: Path) -> dict[str, int]:
    info = json.loads((run_dir / "replicas.json").read_text(encoding="utf-8"))
    return {f"r{i + 1}": r["pid"] for i, r in enumerate(info["replicas"])}


def audit_rows(workdir: Path) -> list[tuple]:
    engine = sa.create_engine(f"sqlite:///{workdir / 'audit.sqlite'}")
    try:
        if not sa.inspect(engine).has_table("audit_events"):
            return []
        with engine.connect() as c:
            return [
                tuple(r) for r in c.execute(sa.text("SELECT user_id, action, page, filters FROM audit_events")).all()
            ]
    finally:
        engine.dispose()


def served(stats_before: dict, stats_after: dict) -> dict[str, int]:
    return {k: stats_after[k] - stats_before.get(k, 0) for k in stats_after}


def totals(run_dir: Path) -> dict[str, int]:
    """Sessions each replica has served (HAProxy's ``stot``)."""
    s = socket.socket(socket.AF_UNIX)
    s.connect(str(run_dir / "haproxy.sock"))
    s.sendall(b"show stat\n")
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    lines = data.decode().splitlines()
    head = lines[0][2:].split(",")
    out = {}
    for line in lines[1:]:
        row = dict(zip(head, line.split(","), strict=False))
        if row.get("pxname") == "replicas" and row.get("svname", "").startswith("r"):
            out[row["svname"]] = int(row["stot"])
    return out


def start(tmp: Path, ledger: Path, *, sign_in: bool, restart_delay: float = 6.0):
    env, _ = cc.server_env(f"sqlite:///{ledger}", tmp, force_sign_in=sign_in)
    first = port_block(3)
    return cc.behind_proxy(
        env,
        tmp,
        2,
        front=first,
        first=first + 1,
        extra=["--restart-delay", str(restart_delay)],
    )


# ---------------------------------------------------------------------------- config only


def test_rendered_config(tmp_path):
    text = render([9001, 9002], 9000, "127.0.0.1", tmp_path, screen_ancestors="https://dp.example.gov.cn")
    assert "server r1 127.0.0.1:9001 cookie r1 check" in text and "server r2 127.0.0.1:9002" in text
    assert "cookie DASHSRV insert" in text and "balance source" not in text
    assert "frame-ancestors 'self' https://dp.example.gov.cn" in text
    assert "Strict-Transport-Security" not in text  # no TLS at the proxy: no HSTS
    tls = render([9001], 9000, "0.0.0.0", tmp_path, tls_cert="/etc/ssl/dash.pem")
    assert "ssl crt /etc/ssl/dash.pem" in tls and "Strict-Transport-Security" in tls and " secure" in tls
    assert "X-Frame-Options SAMEORIGIN if is_screen" in tls  # no outside frame allowed
    assert "redirect location /?screen=1&%[query] code 302 if { path /screen }" in text
    with pytest.raises(SystemExit):
        frame_ancestors("https://ok.example.gov.cn javascript:alert(1)")
    if shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists():
        cfg = tmp_path / "h.cfg"
        cfg.write_text(text, encoding="utf-8")
        import subprocess

        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        assert subprocess.run([haproxy, "-c", "-q", "-f", str(cfg)]).returncode == 0


def test_cookie_secret_made_once_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("DASHBOARD_COOKIE_SECRET", raising=False)
    path = tmp_path / "cookie_secret"
    first = cookie_secret(path)
    assert len(first) >= 32 and cookie_secret(path) == first
    assert os.stat(path).st_mode & 0o777 == 0o600
    monkeypatch.setenv("DASHBOARD_COOKIE_SECRET", "from-the-environment")
    assert cookie_secret(path) == "from-the-environment"


# ---------------------------------------------------------------------------- demo ledger, two replicas


@pytest.fixture(scope="module")
def demo(sqlite_demo_path, tmp_path_factory):
    haproxy_or_skip()
    tmp = tmp_path_factory.mktemp("proxy-demo")
    ledger = tmp / "ledger.sqlite"
    shutil.copy(sqlite_demo_path, ledger)
    with start(tmp, ledger, sign_in=False) as srv:
        yield srv, tmp


def test_security_headers_on_every_response(demo):
    import urllib.request

    srv, _ = demo
    base = f"http://127.0.0.1:{srv.port}"
    with urllib.request.urlopen(base + "/", timeout=30) as r:
        page = r.read().decode()
        seen = {"page": r.headers}
    script = re.search(r'src="\./(static/js/[^"]+)"', page).group(1)
    for name, path in (("static", "/" + script), ("health", "/_stcore/health"), ("screen", "/screen?dwell=30")):
        with urllib.request.urlopen(base + path, timeout=30) as r:
            seen[name] = r.headers
    try:
        urllib.request.urlopen(base + "/media/nothing-here.csv", timeout=30)
    except urllib.error.HTTPError as exc:  # a download that is not there: still the headers
        seen["media 404"] = exc.headers
    ws = Ws(srv.port)
    seen["websocket upgrade"] = ws.headers
    ws.close()
    for name, h in seen.items():
        assert h.get("X-Content-Type-Options") == "nosniff", name
        assert h.get("Referrer-Policy") == "same-origin", name
        assert h.get("Content-Security-Policy") == "frame-ancestors 'self'", name
        assert h.get("X-Frame-Options") == "SAMEORIGIN", name
        assert "Strict-Transport-Security" not in h, name  # plain HTTP here
    assert "DASHSRV=" in seen["page"].get("Set-Cookie", "") and "HttpOnly" in seen["page"].get("Set-Cookie", "")


def test_meeting_screen_at_its_own_path_loads_with_no_failed_request(demo):
    """Issue 26 item 12: "/screen" through the proxy is sent on to "/?screen=1" (its
    parameters kept), where Streamlit's frontend probes only the root: every response of the
    load is below 400 (at "/screen" itself it probes /screen/_stcore/health and
    /screen/_stcore/host-config first, two 404s)."""
    from tests.browser import browser_page, require_browser

    require_browser()
    srv, _ = demo
    base = f"http://127.0.0.1:{srv.port}"
    for path in ("/screen?dwell=60&panels=overview", "/screen", "/?screen=1&dwell=60"):
        with browser_page(1920, 1080) as page:
            seen: list[tuple[int, str]] = []
            page.on("response", lambda r, seen=seen: seen.append((r.status, r.url)))
            page.goto(base + path)
            page.wait_for_selector("#meeting-screen[data-panel] .kpi-value", timeout=60_000)
            page.wait_for_timeout(1500)
            assert [s for s in seen if s[0] >= 400] == [], path
            assert not any("/screen/_stcore/" in url for _, url in seen), path
            assert "screen=1" in page.url and "/screen" not in page.url, page.url
            if "dwell=60" in path:
                assert "dwell=60" in page.url and page.get_attribute("#meeting-screen", "data-panel") == "overview"


def test_stickiness_by_the_proxy_cookie(demo):
    import urllib.request

    srv, tmp = demo
    run_dir = tmp / "serve"
    for replica in ("r1", "r2"):
        before = totals(run_dir)
        for _ in range(6):
            req = urllib.request.Request(
                f"http://127.0.0.1:{srv.port}/_stcore/health", headers={"Cookie": f"DASHSRV={replica}"}
            )
            with urllib.request.urlopen(req, timeout=30) as r:
                assert r.read() == b"ok"
        ws = Ws(srv.port, replica)
        assert cc.TITLES["overview"] in ws.run("overview").headings
        ws.close()
        got = served(before, totals(run_dir))
        assert got[replica] == 7 and sum(got.values()) == 7, got  # six requests and the websocket


def test_pages_run_over_websocket_through_the_proxy(demo):
    srv, _ = demo
    tabs = [Ws(srv.port) for _ in range(4)]
    assert {t.replica for t in tabs} == {"r1", "r2"}  # no cookie yet: spread over both
    for t, (page, query) in zip(
        tabs, [("overview", ""), ("contacts", ""), ("screen", "dwell=30"), ("money", "area=620122")]
    ):
        run = t.run(page, query)
        assert not run.problems and not run.not_found, run.problems
        assert run.screen if page == "screen" else run.headings
        t.close()


def test_fault_one_replica_killed(demo):
    """Sessions on the other replica carry on; the killed one's users get a working page on
    reload; health checks take the dead replica out and the supervisor's restart puts it
    back; every view is in the audit exactly once."""
    srv, tmp = demo
    run_dir = tmp / "serve"
    audit_before = len(audit_rows(tmp))
    tabs = {r: [Ws(srv.port, r), Ws(srv.port, r)] for r in ("r1", "r2")}
    opened = 0
    for t in tabs["r1"] + tabs["r2"]:
        assert t.run("overview").headings
        opened += 1
    victim = pids(run_dir)["r1"]
    os.kill(victim, signal.SIGKILL)
    # The survivors carry on, on the same sockets, while r1 is down.
    for t in tabs["r2"]:
        assert cc.TITLES["contacts"] in t.run("contacts").headings
    # The killed replica's tabs lost their socket; a reload lands on r2 at once.
    for t in tabs["r1"]:
        with pytest.raises(Exception):  # noqa: B017 - any connection error
            t.run("contacts", timeout=10)
        t.close()
    reloaded = [Ws(srv.port, "r1") for _ in range(2)]  # the browser still holds the dead replica's cookie
    for t in reloaded:
        assert cc.TITLES["overview"] in t.run("overview").headings
        assert "DASHSRV=r2" in " ".join(t.headers.get_all("Set-Cookie"))  # moved for good
        t.close()
    wait_for(lambda: server_states(run_dir).get("r1") in ("DOWN", "MAINT"), 20, "r1 marked DOWN")
    wait_for(lambda: server_states(run_dir).get("r1") == "UP", 120, "r1 restarted and marked UP again")
    assert pids(run_dir)["r1"] != victim
    fresh = Ws(srv.port, "r1")  # back in the rotation
    assert fresh.run("overview").headings
    fresh.close()
    for t in tabs["r2"]:
        t.close()
    rows = audit_rows(tmp)[audit_before:]
    views = [r for r in rows if r[1] == "view"]
    # 4 first views + 2 survivors moving to contacts + 2 reloads + 1 on the restarted r1.
    assert len(views) == opened + 2 + 2 + 1, views  # none lost, none twice
    assert [v[2] for v in views].count("contacts") == 2


def test_meeting_screen_and_download_survive_a_killed_replica(demo):
    """In Chromium through the proxy: a CSV download; the meeting screen, whose replica is
    killed, carries on by itself from the other one; a reload gives a working page."""
    from tests.browser import browser_page, require_browser, wait_idle

    require_browser()
    srv, tmp = demo
    run_dir = tmp / "serve"
    base = f"http://127.0.0.1:{srv.port}"
    wait_for(lambda: set(server_states(run_dir).values()) == {"UP"}, 120, "both replicas UP")
    with browser_page(1920, 1080) as page:
        page.goto(f"{base}/districts")
        wait_idle(page)
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_role("button", name=labels.DOWNLOAD_CSV).first.click()
        text = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
        assert text.count("\n") > 3
        again = page.request.get(dl.value.url)  # the download's own response, same cookie
        assert "/media/" in dl.value.url and again.headers.get("x-content-type-options") == "nosniff"
        assert again.headers.get("x-frame-options") == "SAMEORIGIN"

        page.goto(f"{base}/screen?dwell=60&refresh=2&panels=aid")
        page.wait_for_selector("#meeting-screen[data-panel]", timeout=60_000)
        cookie = {c["name"]: c["value"] for c in page.context.cookies()}["DASHSRV"]
        os.kill(pids(run_dir)[cookie], signal.SIGKILL)
        page.evaluate("window.__meetingScreenData = null")
        # Nobody touches the screen: it reconnects and draws fresh figures from the other replica.
        page.wait_for_function("window.__meetingScreenData !== null", timeout=120_000)
        page.wait_for_selector("#meeting-screen[data-panel]", timeout=30_000)
        assert "182" in page.inner_text("#meeting-screen")
        other = {c["name"]: c["value"] for c in page.context.cookies()}["DASHSRV"]
        assert other != cookie
        page.reload()
        page.wait_for_selector("#meeting-screen[data-panel]", timeout=60_000)
    wait_for(lambda: set(server_states(run_dir).values()) == {"UP"}, 120, "the killed replica back")


# ---------------------------------------------------------------------------- sign-in, database outage


@pytest.fixture(scope="module")
def signed(sqlite_demo_path, tmp_path_factory):
    haproxy_or_skip()
    tmp = tmp_path_factory.mktemp("proxy-signin")
    ledger = tmp / "ledger.sqlite"
    shutil.copy(sqlite_demo_path, ledger)
    with start(tmp, ledger, sign_in=True) as srv:
        yield srv, tmp, ledger


def test_sign_in_through_the_proxy_and_again_after_a_kill(signed):
    srv, tmp, _ = signed
    run_dir = tmp / "serve"
    before = len(audit_rows(tmp))
    tab = Ws(srv.port)
    assert cc.TITLES["overview"] in tab.sign_in().headings
    assert cc.TITLES["contacts"] in tab.run("contacts").headings  # still signed in on the next page
    replica = tab.replica
    os.kill(pids(run_dir)[replica], signal.SIGKILL)
    tab.close()
    again = Ws(srv.port, replica)  # reload: the session is gone with its process; sign in again
    first = again.run("overview")
    assert "signin_username" in first.text_inputs
    assert cc.TITLES["overview"] in again.sign_in().headings
    again.close()
    rows = audit_rows(tmp)[before:]
    assert [r[1] for r in rows if r[1].startswith("login")] == ["login", "login"]  # one per sign-in
    assert [r[2] for r in rows if r[1] == "view"] == ["overview", "contacts", "overview"]
    wait_for(lambda: set(server_states(run_dir).values()) == {"UP"}, 120, "the killed replica back")


def test_database_outage_shows_the_chinese_message_and_recovers(signed):
    srv, _, ledger = signed
    tab = Ws(srv.port)
    assert tab.sign_in().headings
    original = ledger.read_bytes()
    try:
        ledger.write_bytes(b"\0" * len(original))  # the database is gone

        def failing():
            run = tab.run("overview", query=f"year={2019}")
            return [p for p in run.problems if any(t and t in p for t in ERROR_TEXTS)]

        problems = wait_for(failing, 60, "the Chinese error message", every=2)
        assert not [p for p in problems if p.startswith("exception")]
    finally:
        ledger.write_bytes(original)
    recovered = wait_for(lambda: (r := tab.run("overview")) and not r.problems and r.headings, 60, "recovery", every=2)
    assert cc.TITLES["overview"] in recovered
    tab.close()


# ---------------------------------------------------------------------------- OpenID Connect


def test_oidc_sign_in_through_the_proxy_survives_a_killed_replica(sqlite_demo_path, tmp_path):
    """The OpenID callback goes through the proxy; the sign-in cookie is signed with the one
    secret every replica shares, so when the replica that signed it dies the other accepts it
    (no second sign-in)."""
    from tests.browser import browser_page, require_browser, wait_idle

    haproxy_or_skip()
    require_browser()
    from tests.mock_oidc import oidc_provider

    ledger = tmp_path / "ledger.sqlite"
    shutil.copy(sqlite_demo_path, ledger)
    first = port_block(3)
    with oidc_provider("gaolan@example.gov.cn", "dashboard") as issuer:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(
            "\n".join(
                [
                    "[auth]",
                    f'redirect_uri = "http://127.0.0.1:{first}/oauth2callback"',
                    'cookie_secret = "a-test-cookie-secret-of-some-length"',
                    'client_id = "dashboard"',
                    'client_secret = "secret"',
                    f'server_metadata_url = "{issuer}/.well-known/openid-configuration"',
                    "[access.oidc_users]",
                    '"gaolan@example.gov.cn" = { role = "district", area = "620122" }',
                ]
            )
            + "\n",
            encoding="utf-8",
        )
        drop = ("SERVICE_DB_URL", "SERVICE_DEMO_DB", "DASHBOARD_ACCESS_FILE", "DASHBOARD_WARM")
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env |= {"SERVICE_DB_URL": f"sqlite:///{ledger}", "AUDIT_DB_URL": f"sqlite:///{tmp_path / 'audit.sqlite'}"}
        proxied = cc.behind_proxy(
            env, tmp_path, 2, front=first, first=first + 1, extra=["--secrets", str(secrets), "--restart-delay", "30"]
        )
        with proxied as srv, browser_page() as page:
            page.goto(f"http://127.0.0.1:{srv.port}/")
            wait_idle(page)
            page.get_by_role("button", name=labels.SIGNIN_OIDC).click()
            page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
            assert "皋兰县" in page.inner_text("body")
            replica = {c["name"]: c["value"] for c in page.context.cookies()}["DASHSRV"]
            os.kill(pids(tmp_path / "serve")[replica], signal.SIGKILL)
            page.reload()
            page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
            assert "皋兰县" in page.inner_text("body")  # still signed in, on the other replica
            assert {c["name"]: c["value"] for c in page.context.cookies()}["DASHSRV"] != replica
