"""Who is looking, and which areas they may see.

Modes, from configuration (``.streamlit/secrets.toml``, or a file named by
``DASHBOARD_ACCESS_FILE``):

- ``oidc``: Streamlit's ``st.login`` against any OpenID Connect provider (``[auth]``);
  ``[access.oidc_users]`` maps e-mail addresses to roles.
- ``local``: accounts in ``[[access.accounts]]`` (or ``access.accounts_file``), scrypt
  password hashes, failed sign-ins rate-limited per account, sessions that expire.
- ``demo``: no sign-in, only on the embedded demo database, with a 演示 banner.
- otherwise nothing is shown but a page saying that sign-in must be configured.

Meeting screens (``[[access.screen_tokens]]``): a wall display opened with
``?screen_token=…`` runs unattended all day and all week. The token opens the meeting
screen only (no other page is registered for it), for one scope (``scope = "city"`` or a
district's ``area``), without small cells or lists of people; it does not expire with
``session_minutes`` and is checked again against the configuration on every refresh, so
deleting the entry or setting ``revoked = true`` takes the screen off at its next refresh.
The configuration holds only the token's SHA-256 (``python -m dashboard.auth
--screen-token`` makes a token and its hash); its sign-in, views and failures are in the
audit log as ``screen:<name>``.

Roles: ``city`` (every area, city-wide figures), ``district`` (its own area only),
``admin`` (every area and the audit log). The role's scope is handed to the data layer,
which applies it to every query; ``unmask = true`` lets an account see full names;
``person_lists = false`` makes an account see aggregates only: no list of people, and small
cells hidden (a figure hidden from someone who may open the list of the same people would
protect nobody, so accounts with lists see the real figures).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets as token_source
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard import labels
from dashboard.passwords import RateLimiter, hash_password, verify_password
from data_access.filters import Scope

ROLES = ("city", "district", "admin")
ACCESS_FILE_ENV = "DASHBOARD_ACCESS_FILE"
_USER = "_auth_user"
_SEEN = "_auth_last_seen"
_SESSION_S = "_auth_session_s"  # the session length in force, for runs that skip require_user
LIMITER = RateLimiter()  # one per process: every session shares it


@dataclass(frozen=True)
class User:
    user_id: str
    name: str
    role: str  # city / district / admin
    area: str | None = None
    can_unmask: bool = False
    source: str = "local"  # local / oidc / demo
    sees_people: bool = True  # lists of people (masked); without them, small cells are hidden

    @property
    def scope(self) -> Scope:
        scope = (
            Scope.only([self.area or "__none__"], name=f"district:{self.area}")
            if self.role == "district"
            else Scope.everything()
        )
        return scope if self.sees_people else scope.hiding_small_cells()

    @property
    def sees_city_wide(self) -> bool:
        return self.role != "district"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class AccessConfig:
    mode: str  # oidc / local / demo / none
    accounts: Mapping[str, Mapping]
    oidc_users: Mapping[str, Mapping]
    session_minutes: float = 480
    audit_url: str | None = None


def secrets() -> Mapping:
    """``st.secrets`` as a mapping ({} when there is no secrets file)."""
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # noqa: BLE001 - no secrets file, or unreadable: no configuration
        return {}


def _access_section(secrets: Mapping) -> dict:
    section = dict(secrets.get("access", {}) or {})
    path = os.environ.get(ACCESS_FILE_ENV)
    if path and Path(path).is_file():
        section.update(tomllib.loads(Path(path).read_text(encoding="utf-8")).get("access", {}))
    accounts_file = section.get("accounts_file")
    if accounts_file and Path(accounts_file).is_file():
        extra = tomllib.loads(Path(accounts_file).read_text(encoding="utf-8")).get("accounts", [])
        section["accounts"] = [*section.get("accounts", []), *extra]
    return section


def access_config(secrets: Mapping, is_embedded_demo: bool) -> AccessConfig:
    section = _access_section(secrets)
    accounts = {str(a["username"]): dict(a) for a in section.get("accounts", []) if a.get("username")}
    oidc_users = {str(k).lower(): dict(v) for k, v in dict(section.get("oidc_users", {}) or {}).items()}
    has_oidc = "auth" in secrets
    mode = section.get("mode") or (
        "oidc" if has_oidc else "local" if accounts else "demo" if is_embedded_demo else "none"
    )
    if mode == "demo" and not is_embedded_demo:
        mode = "none"  # never show a real ledger without sign-in
    if mode == "oidc" and not has_oidc:
        mode = "none"
    return AccessConfig(
        mode=mode,
        accounts=accounts,
        oidc_users=oidc_users,
        session_minutes=float(section.get("session_minutes", 480)),
        audit_url=section.get("audit_url") or os.environ.get("AUDIT_DB_URL"),
    )


SCREEN_TOKEN_PARAM = "screen_token"
_SCREEN_SEEN = "_auth_screen_token"  # the token hash this session signed in with (audited once)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_screen_token() -> tuple[str, str]:
    """A fresh screen token and the hash to put in ``[[access.screen_tokens]]``."""
    token = token_source.token_urlsafe(32)
    return token, token_hash(token)


def screen_tokens(secrets: Mapping) -> list[dict]:
    """The configured screen tokens (re-read on every call: a revocation takes effect at
    the screen's next refresh)."""
    return [dict(t) for t in _access_section(secrets).get("screen_tokens", []) or [] if isinstance(t, Mapping)]


def screen_user(tokens: list[Mapping], token: str | None) -> User | None:
    """The screen-only user a token stands for; None when it is unknown, revoked or badly
    configured (a district token without its area)."""
    if not token:
        return None
    digest = token_hash(token)
    for entry in tokens:
        known = str(entry.get("token_sha256", "")).lower()
        if not known or not hmac.compare_digest(known, digest) or entry.get("revoked", False):
            continue
        name = str(entry.get("name") or "screen")
        area = entry.get("area")
        role = "district" if area else "city"
        if entry.get("scope", role) != role:  # "district" without its area, or an unknown scope
            return None
        return User(
            user_id=f"screen:{name}",
            name=name,
            role=role,
            area=str(area) if area else None,
            source="screen",
            sees_people=False,  # a room watches it: aggregates only, small cells hidden
        )
    return None


def _screen_sign_in(cfg: AccessConfig) -> User | None:
    """The user of a ``?screen_token=`` address (None without one); an invalid or revoked
    token stops at a page saying so, audited."""
    token = st.query_params.get(SCREEN_TOKEN_PARAM)
    if not token or cfg.mode not in ("local", "oidc"):
        return None
    user = screen_user(screen_tokens(secrets()), token)
    if user is None:
        if st.session_state.get(_SCREEN_SEEN) != ("failed", token_hash(token)):
            st.session_state[_SCREEN_SEEN] = ("failed", token_hash(token))
            _audit_sign_in("screen:?", "screen_token_failed")
        _gate(_screen_token_invalid)
    if st.session_state.get(_SCREEN_SEEN) != ("ok", token_hash(token)):
        st.session_state[_SCREEN_SEEN] = ("ok", token_hash(token))
        _audit_sign_in(user.user_id, "screen_login", user.role)
    return user


def _screen_token_invalid() -> None:
    st.title(labels.APP_TITLE)
    st.error(labels.SCREEN_TOKEN_INVALID, icon=":material/tv_off:")


def _account_user(username: str, account: Mapping, source: str) -> User | None:
    role = account.get("role")
    if role not in ROLES or (role == "district" and not account.get("area")):
        return None
    return User(
        user_id=username,
        name=str(account.get("display_name") or username),
        role=role,
        area=account.get("area"),
        can_unmask=bool(account.get("unmask", False)),
        source=source,
        sees_people=bool(account.get("person_lists", True)),
    )


@functools.cache
def _decoy_hash() -> str:
    """A hash no password matches, checked for unknown user names so that a wrong name
    costs the same scrypt work as a wrong password (no user enumeration by timing)."""
    return hash_password(os.urandom(16).hex())


def sign_out() -> None:
    for key in (_USER, _SEEN):
        st.session_state.pop(key, None)


def _local_sign_in(cfg: AccessConfig) -> User | None:
    """The signed-in local user, or None after drawing the sign-in form."""
    now = time.time()
    user = st.session_state.get(_USER)
    if user is not None:
        if now - st.session_state.get(_SEEN, 0) > cfg.session_minutes * 60:
            sign_out()
            st.warning(labels.SIGNIN_EXPIRED, icon=":material/timer_off:")
        else:
            st.session_state[_SEEN] = now
            return user
    st.title(labels.APP_TITLE)
    st.subheader(labels.SIGNIN)
    with st.form("sign_in"):
        username = st.text_input(labels.USERNAME, key="signin_username")
        password = st.text_input(labels.PASSWORD, type="password", key="signin_password")
        submitted = st.form_submit_button(labels.SIGNIN_BUTTON, type="primary")
    if submitted:
        wait = LIMITER.locked_for(username)
        account = cfg.accounts.get(username)
        if wait > 0:
            st.error(labels.SIGNIN_LOCKED.format(minutes=int(wait // 60) + 1), icon=":material/lock_clock:")
            _audit_sign_in(username, "login_blocked")
        elif verify_password(password, str(account.get("password_hash", "")) if account else _decoy_hash()) and account:
            signed = _account_user(username, account, "local")
            if signed is None:
                st.error(labels.SIGNIN_BAD_ACCOUNT)
                return None
            LIMITER.success(username)
            st.session_state[_USER] = signed
            st.session_state[_SEEN] = now
            _audit_sign_in(username, "login", signed.role)
            st.rerun()
        else:
            LIMITER.failure(username)
            _audit_sign_in(username, "login_failed")
            st.error(labels.SIGNIN_FAILED, icon=":material/error:")
    return None


def _oidc_user(cfg: AccessConfig) -> User | None:
    """The role of the signed-in OpenID Connect user, from ``[access.oidc_users]``."""
    email = str(st.user.get("email", "")).lower()
    account = cfg.oidc_users.get(email)
    user = _account_user(email, account, "oidc") if account else None
    if user is not None and st.session_state.get(_USER) != user:
        st.session_state[_USER] = user
        _audit_sign_in(email, "login", user.role)
    return user


def _oidc_sign_in_page() -> None:
    st.title(labels.APP_TITLE)
    st.subheader(labels.SIGNIN)
    st.button(labels.SIGNIN_OIDC, on_click=st.login, type="primary", icon=":material/login:")


def _oidc_no_role_page() -> None:
    st.title(labels.APP_TITLE)
    st.error(labels.SIGNIN_NO_ROLE.format(email=str(st.user.get("email", "")) or "—"))
    st.button(labels.SIGNOUT, on_click=st.logout)


def _audit_sign_in(user_id: str, action: str, role: str = "-") -> None:
    from dashboard import audit_log

    audit_log.record(user_id=user_id or "-", role=role, action=action)


def _gate(render) -> None:
    """Show only ``render`` whatever page the URL names (the page list stays hidden, and the
    requested page opens once the user is signed in), then stop before any data is read."""
    from dashboard import navigation

    pages = [
        page for spec in navigation.PAGES for _, page in navigation.page_set(render, spec.key, title=labels.SIGNIN)
    ]
    st.navigation(pages, position="hidden").run()
    st.stop()


def _not_configured() -> None:
    st.title(labels.APP_TITLE)
    st.warning(labels.SIGNIN_NOT_CONFIGURED, icon=":material/lock:")
    st.markdown(labels.SIGNIN_HOW)


def require_user(cfg: AccessConfig) -> User:
    """The signed-in user; otherwise draws the sign-in (or the "configure sign-in") page and
    stops the script before any data is read."""
    if cfg.mode == "demo":
        return User("demo", labels.DEMO_USER, "city", source="demo")
    screen = _screen_sign_in(cfg)
    if screen is not None:
        return screen
    if cfg.mode == "none":
        _gate(_not_configured)
    if cfg.mode == "oidc":
        if not st.user.is_logged_in:
            _gate(_oidc_sign_in_page)
        user = _oidc_user(cfg)
        if user is None:
            _gate(_oidc_no_role_page)
        return user
    st.session_state[_SESSION_S] = cfg.session_minutes * 60
    user = st.session_state.get(_USER)
    if user is not None and time.time() - st.session_state.get(_SEEN, 0) <= cfg.session_minutes * 60:
        st.session_state[_SEEN] = time.time()
        return user
    _gate(lambda: _local_sign_in(cfg))
    raise AssertionError("unreachable: the gate stops the script")


def still_signed_in(user: User) -> bool:
    """Whether ``user``'s session is still valid, for a run that does not pass through
    :func:`require_user` (the meeting screen's scheduled refresh, a fragment): a local
    session ends ``session_minutes`` after the last full run, an OpenID one at sign-out."""
    if user.source in ("demo", "warm"):
        return True
    if user.source == "screen":  # no time limit; still configured and not revoked
        return screen_user(screen_tokens(secrets()), st.query_params.get(SCREEN_TOKEN_PARAM)) == user
    if user.source == "oidc":
        return bool(st.user.is_logged_in)
    if st.session_state.get(_USER) != user:
        return False
    limit = st.session_state.get(_SESSION_S, 0)
    return time.time() - st.session_state.get(_SEEN, 0) <= limit


def sign_out_button(user: User) -> None:
    if user.source in ("demo", "warm", "screen"):
        return
    with st.sidebar:
        st.caption(
            labels.SIGNED_IN_AS.format(
                name=user.name, role=labels.ROLE[user.role], area=f"（{user.area}）" if user.area else ""
            )
        )
        if user.source == "oidc":
            st.button(labels.SIGNOUT, on_click=st.logout, key="signout")
        elif st.button(labels.SIGNOUT, key="signout"):
            sign_out()
            st.rerun()


if __name__ == "__main__":
    import sys

    if "--screen-token" not in sys.argv[1:]:
        sys.exit("usage: python -m dashboard.auth --screen-token")
    made, digest = new_screen_token()
    print(f"token (in the screen's address, ?screen_token=…): {made}")
    print(f'token_sha256 = "{digest}"   # in [[access.screen_tokens]]')
