"""``make serve``: N dashboard processes behind HAProxy, on one port.

    python deploy/serve.py [--replicas N] [--port 8501] [--bind 0.0.0.0]

Runs N ``streamlit run streamlit_app.py`` processes (default: one per core) on internal ports
of 127.0.0.1 (``--replica-port``, default port+1 …), each with ``DASHBOARD_WARM=1`` and the
same ``server.cookieSecret``; opens each one's first page so its warmer starts at once
(``python -m dashboard.warm --kick``); renders ``deploy/haproxy.cfg.template`` into
``--run-dir`` (default ``data/serve``) and runs Debian's ``haproxy`` in the foreground on the
front port. A replica that exits is started again after ``--restart-delay`` seconds (HAProxy's
health check on ``/_stcore/health`` takes it out meanwhile and puts it back once it answers).
Ctrl-C or SIGTERM stops everything.

Environment (each also an option): ``REPLICAS``, ``PORT``, ``BIND``, ``TLS_CERT`` (a PEM with
certificate and key: TLS ends at the proxy, cookies become ``Secure`` and HSTS is sent),
``SCREEN_FRAME_ANCESTORS`` (space-separated origins allowed to frame the meeting screen, e.g.
``https://dp.example.gov.cn``), ``DASHBOARD_COOKIE_SECRET`` (else one is made once and kept in
``data/cookie_secret``, mode 0600), ``DASHBOARD_SECRETS_FILE`` (the secrets file every replica
reads, default ``.streamlit/secrets.toml``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg.template"
SECRET_FILE = ROOT / "data" / "cookie_secret"
SECRET_ENV = "DASHBOARD_COOKIE_SECRET"
XFO_SCREEN = "http-after-response set-header X-Frame-Options SAMEORIGIN if is_screen"
ORIGIN_RE = re.compile(r"^(https?://[A-Za-z0-9.-]+(:\d+)?|'self')$")


def cookie_secret(path: Path = SECRET_FILE) -> str:
    """The one ``server.cookieSecret`` every replica shares: from the environment, else a file
    made once (readable by its owner only)."""
    given = os.environ.get(SECRET_ENV, "").strip()
    if given:
        return given
    if path.exists():
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    os.chmod(path, 0o600)
    return value


def frame_ancestors(raw: str) -> str:
    """The meeting screen's ``frame-ancestors`` list: 'self' plus the given origins (each
    checked, so nothing odd reaches the header)."""
    origins = raw.split()
    bad = [o for o in origins if not ORIGIN_RE.match(o)]
    if bad:
        raise SystemExit(f"SCREEN_FRAME_ANCESTORS: not an origin (https://host[:port]): {' '.join(bad)}")
    return " ".join(["'self'", *[o for o in origins if o != "'self'"]])


def render(
    ports: list[int],
    port: int,
    bind: str,
    run_dir: Path,
    tls_cert: str | None = None,
    screen_ancestors: str = "",
    check_inter: str = "2s",
) -> str:
    servers = "\n".join(f"    server r{i + 1} 127.0.0.1:{p} cookie r{i + 1} check" for i, p in enumerate(ports))
    values = {
        "run_dir": str(run_dir),
        "bind": bind,
        "port": str(port),
        "tls": f" ssl crt {tls_cert}" if tls_cert else "",
        "base": "",
        "screen_ancestors": frame_ancestors(screen_ancestors),
        # X-Frame-Options cannot name other origins: where the screen may be framed elsewhere
        # it is left off there and frame-ancestors (every current browser) decides.
        "screen_xfo": "" if screen_ancestors.split() else f"    {XFO_SCREEN}\n",
        "hsts": '    http-after-response set-header Strict-Transport-Security "max-age=31536000"\n' if tls_cert else "",
        "cookie_secure": " secure" if tls_cert else "",
        "check_inter": check_inter,
        "servers": servers,
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    leftover = re.findall(r"\{\{\w+\}\}", text)
    if leftover:
        raise RuntimeError(f"unfilled placeholders in {TEMPLATE.name}: {leftover}")
    return text


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if not found:
        raise SystemExit("haproxy is not installed (apt-get install haproxy; `make serve` does this as root)")
    return found


def server_states(run_dir: Path) -> dict[str, str]:
    """Each replica's state as HAProxy's health checks see it ("UP", "DOWN", …), from the
    admin socket in the run folder."""
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(str(Path(run_dir) / "haproxy.sock"))
        s.sendall(b"show stat\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    lines = b"".join(chunks).decode().splitlines()
    if not lines or not lines[0].startswith("# "):
        return {}
    head = lines[0][2:].split(",")
    out = {}
    for line in lines[1:]:
        row = dict(zip(head, line.split(","), strict=False))
        if row.get("pxname") == "replicas" and row.get("svname") not in ("BACKEND", "FRONTEND", None):
            out[row["svname"]] = row.get("status", "").split(" ")[0]
    return out


class Replica:
    def __init__(self, index: int, port: int, env: dict, log_dir: Path, args: list[str] | None = None) -> None:
        self.index, self.port, self.env, self.log_dir = index, port, env, log_dir
        self.args = list(args or [])
        self.proc: subprocess.Popen | None = None
        self.died_at: float | None = None

    def start(self) -> None:
        cmd = [
            *(sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py")),
            *("--server.address", "127.0.0.1", "--server.port", str(self.port), "--server.headless", "true"),
            *self.args,
        ]
        log = (self.log_dir / f"replica{self.index}.log").open("ab")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.died_at = None
        if self.env.get("DASHBOARD_WARM") != "1":
            return
        # Open its first page once it answers: its warmer starts before any leader arrives.
        kick = [sys.executable, "-m", "dashboard.warm", "--kick", str(self.port)]
        threading.Thread(
            target=subprocess.run, args=(kick,), kwargs={"cwd": ROOT, "env": self.env}, daemon=True
        ).start()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()


def main(argv: list[str] | None = None) -> int:
    env = os.environ
    ap = argparse.ArgumentParser(description="N dashboard replicas behind HAProxy (make serve)")
    ap.add_argument("--replicas", type=int, default=int(env.get("REPLICAS") or 0) or os.cpu_count() or 1)
    ap.add_argument("--port", type=int, default=int(env.get("PORT") or 8501))
    ap.add_argument("--bind", default=env.get("BIND") or "0.0.0.0")
    ap.add_argument("--replica-port", type=int, default=int(env.get("REPLICA_PORT") or 0) or None)
    ap.add_argument("--run-dir", default=env.get("SERVE_RUN_DIR") or str(ROOT / "data" / "serve"))
    ap.add_argument("--tls-cert", default=env.get("TLS_CERT") or None)
    ap.add_argument("--screen-frame-ancestors", default=env.get("SCREEN_FRAME_ANCESTORS", ""))
    ap.add_argument("--restart-delay", type=float, default=float(env.get("RESTART_DELAY") or 2))
    ap.add_argument("--check-inter", default=env.get("CHECK_INTER") or "2s", help="health-check interval")
    ap.add_argument(
        "--secrets",
        default=env.get("DASHBOARD_SECRETS_FILE") or None,
        help="secrets file for every replica (default: .streamlit/secrets.toml), e.g. /etc/dashboard/secrets.toml",
    )
    ap.add_argument("--no-warm", action="store_true", help="do not set DASHBOARD_WARM=1 (tests)")
    ap.add_argument("--render-only", action="store_true", help="write the HAProxy config and exit (systemd)")
    args = ap.parse_args(argv)

    run_dir = Path(args.run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    first = args.replica_port or args.port + 1
    ports = [first + i for i in range(args.replicas)]
    if args.tls_cert and not Path(args.tls_cert).is_file():
        raise SystemExit(f"TLS_CERT: no such file {args.tls_cert}")
    cfg = run_dir / "haproxy.cfg"
    cfg.write_text(
        render(ports, args.port, args.bind, run_dir, args.tls_cert, args.screen_frame_ancestors, args.check_inter),
        encoding="utf-8",
    )
    if args.render_only:
        print(cfg)
        return 0
    haproxy = haproxy_binary()
    check = subprocess.run([haproxy, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"haproxy rejected {cfg}:\n{check.stdout}{check.stderr}")

    subprocess.run([sys.executable, "-m", "data_access.demo", "--ensure-default"], cwd=ROOT, check=False)
    child_env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    # The same secret on every replica: XSRF tokens and OpenID sign-in cookies made by one
    # replica are accepted by the others. Passed in the environment, not on the command line
    # (which every local user can read).
    child_env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret()
    if not args.no_warm:
        child_env["DASHBOARD_WARM"] = "1"
    extra = ["--secrets.files", str(Path(args.secrets).resolve())] if args.secrets else []
    replicas = [Replica(i + 1, p, child_env, run_dir, extra) for i, p in enumerate(ports)]
    stopping = threading.Event()

    def note_pids() -> None:
        """Who is running where (``replicas.json`` in the run folder: the tests and the
        benchmark read the replicas' process ids from it)."""
        pids = {"haproxy": proxy.pid, "replicas": [{"port": r.port, "pid": r.proc.pid} for r in replicas if r.proc]}
        tmp = run_dir / "replicas.json.tmp"
        tmp.write_text(json.dumps(pids), encoding="utf-8")
        tmp.replace(run_dir / "replicas.json")

    def stop(*_):
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for r in replicas:
        r.start()
    proxy = subprocess.Popen([haproxy, "-W", "-db", "-f", str(cfg)], cwd=run_dir)
    note_pids()
    scheme = "https" if args.tls_cert else "http"
    print(
        f"serve: {len(replicas)} replicas on 127.0.0.1:{ports[0]}-{ports[-1]} behind haproxy at "
        f"{scheme}://{args.bind}:{args.port} (logs in {run_dir})",
        file=sys.stderr,
        flush=True,
    )
    rc = 0
    try:
        while not stopping.is_set():
            if proxy.poll() is not None:
                print(f"serve: haproxy exited ({proxy.returncode})", file=sys.stderr, flush=True)
                rc = proxy.returncode or 1
                break
            now = time.monotonic()
            for r in replicas:
                if r.proc is not None and r.proc.poll() is not None:
                    if r.died_at is None:
                        r.died_at = now
                        print(f"serve: replica {r.index} exited ({r.proc.returncode})", file=sys.stderr, flush=True)
                    elif now - r.died_at >= args.restart_delay:
                        print(f"serve: starting replica {r.index} again", file=sys.stderr, flush=True)
                        r.start()
                        note_pids()
            stopping.wait(0.5)
    finally:
        if proxy.poll() is None:
            proxy.terminate()
        for r in replicas:
            r.stop()
        deadline = time.monotonic() + 15
        for p in [proxy, *(r.proc for r in replicas if r.proc)]:
            try:
                p.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
