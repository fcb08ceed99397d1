"""Where the service database is: environment, then secrets file, then the demo file."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from data_access.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEMO_PATH = PROJECT_ROOT / "data" / "demo.sqlite"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
ENV_VAR = "SERVICE_DB_URL"
DEMO_ENV_VAR = "SERVICE_DEMO_DB"  # where the embedded demo ledger lives (default data/demo.sqlite)


@dataclass(frozen=True)
class DatabaseConfig:
    url: str
    source: str  # env / secrets / default
    demo_path: Path | None = None  # set when the embedded demo file is used

    @property
    def is_embedded_demo(self) -> bool:
        return self.demo_path is not None


def resolve_url(environ: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH) -> DatabaseConfig:
    """The service database URL: ``SERVICE_DB_URL``, else ``[connections.service] url`` in
    ``.streamlit/secrets.toml``, else the embedded SQLite demo file (``SERVICE_DEMO_DB``
    moves it)."""
    env = os.environ if environ is None else environ
    url = (env.get(ENV_VAR) or "").strip()
    if url:
        return DatabaseConfig(url, "env")
    if secrets_path.is_file():
        try:
            secrets = tomllib.loads(secrets_path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read {secrets_path}: {exc}", str(secrets_path)) from exc
        service = secrets.get("connections", {}).get("service", {})
        url = str(service.get("url", "")).strip() if isinstance(service, dict) else ""
        if url:
            return DatabaseConfig(url, "secrets")
    demo = Path(env.get(DEMO_ENV_VAR) or DEFAULT_DEMO_PATH)
    return DatabaseConfig(f"sqlite:///{demo}", "default", demo)
