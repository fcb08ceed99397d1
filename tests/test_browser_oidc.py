"""OpenID Connect sign-in (st.login) in a real browser against a mock provider on 127.0.0.1."""

from __future__ import annotations

from tests.browser import browser_page, free_port, require_browser, screenshot, streamlit_server, wait_idle
from tests.conftest import unavailable


def test_oidc_sign_in_maps_the_email_to_a_role(sqlite_demo_path, tmp_path):
    require_browser()
    try:
        import authlib  # noqa: F401
        import httpx  # noqa: F401
    except ImportError:
        unavailable("oidc", "Authlib/httpx (streamlit[auth]) are not installed")
    from tests.mock_oidc import oidc_provider

    port = free_port()
    with oidc_provider("gaolan@example.gov.cn", "dashboard") as issuer:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(
            "\n".join(
                [
                    "[auth]",
                    f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"',
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
        env = {"AUDIT_DB_URL": f"sqlite:///{tmp_path / 'audit.sqlite'}"}
        with (
            streamlit_server(
                f"sqlite:///{sqlite_demo_path}",
                demo=False,
                env=env,
                port=port,
                extra_args=["--secrets.files", str(secrets)],
            ) as base,
            browser_page() as page,
        ):
            page.goto(base)
            wait_idle(page)
            assert page.locator("[data-testid='stMetricValue']").count() == 0
            page.get_by_role("button", name="使用单位统一身份认证登录").click()
            page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
            wait_idle(page)
            body = page.inner_text("body")
            assert "区县老干部局" in body and "皋兰县" in body
            screenshot(page, "oidc_signed_in")
