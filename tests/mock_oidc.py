"""A minimal OpenID Connect provider on 127.0.0.1 for the sign-in browser test.

Authorization-code flow only: discovery, /authorize (signs in ``email`` at once and
redirects back with a code), /token (an RS256 id_token), /jwks, /userinfo.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from authlib.jose import JsonWebKey, jwt


@contextmanager
def oidc_provider(email: str, client_id: str):
    key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
    key_dict = key.as_dict(is_private=True)
    key_dict["kid"] = "test-key"
    public = {k: v for k, v in key_dict.items() if k in ("kty", "n", "e", "kid")} | {"use": "sig", "alg": "RS256"}
    codes: dict[str, str] = {}  # code -> nonce

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _json(self, body: dict, status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802
            url = urlparse(self.path)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if url.path == "/.well-known/openid-configuration":
                self._json(
                    {
                        "issuer": base,
                        "authorization_endpoint": f"{base}/authorize",
                        "token_endpoint": f"{base}/token",
                        "jwks_uri": f"{base}/jwks",
                        "userinfo_endpoint": f"{base}/userinfo",
                        "response_types_supported": ["code"],
                        "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "scopes_supported": ["openid", "email"],
                    }
                )
            elif url.path == "/jwks":
                self._json({"keys": [public]})
            elif url.path == "/authorize":
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                code = secrets.token_urlsafe(16)
                codes[code] = q.get("nonce", "")
                self.send_response(302)
                self.send_header(
                    "Location", f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}"
                )
                self.end_headers()
            elif url.path == "/userinfo":
                self._json({"sub": "user-1", "email": email})
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            nonce = codes.pop(form.get("code", ""), None)
            if nonce is None:
                self._json({"error": "invalid_grant"}, 400)
                return
            now = int(time.time())
            claims = {
                "iss": base,
                "sub": "user-1",
                "aud": client_id,
                "iat": now,
                "exp": now + 600,
                "email": email,
                "email_verified": True,
                "nonce": nonce,
            }
            token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key_dict).decode()
            self._json(
                {
                    "access_token": secrets.token_urlsafe(16),
                    "token_type": "Bearer",
                    "expires_in": 600,
                    "id_token": token,
                }
            )

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
