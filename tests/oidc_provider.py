"""A small OpenID Connect provider on loopback, for testing st.login against a real protocol exchange.

It signs in whoever asks as `email` (no login form), the way a city's Keycloak would after the
user typed their password: discovery, authorization code (with PKCE), token with a signed ID
token, JWKS and userinfo.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from joserfc import jwt
from joserfc.jwk import RSAKey


class Provider:
    def __init__(self, email: str, client_id: str = "dasbor-tkpkd", client_secret: str = "rahasia-uji") -> None:
        self.email, self.client_id, self.client_secret = email, client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "uji", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, dict] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def stop(self) -> None:
        self.server.shutdown()

    def _id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": "pengguna-uji",
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "email": self.email,
            "email_verified": True,
            "name": "Pengguna SSO",
        }
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode({"alg": "RS256", "kid": "uji"}, claims, self.key)

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _json(self, data: dict, status: int = 200) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                url = urllib.parse.urlparse(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    self._json(
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": f"{provider.issuer}/authorize",
                            "token_endpoint": f"{provider.issuer}/token",
                            "jwks_uri": f"{provider.issuer}/jwks",
                            "userinfo_endpoint": f"{provider.issuer}/userinfo",
                            "response_types_supported": ["code"],
                            "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "scopes_supported": ["openid", "email", "profile"],
                            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                            "code_challenge_methods_supported": ["S256"],
                        }
                    )
                elif url.path == "/authorize":
                    if query.get("client_id") != provider.client_id:
                        self._json({"error": "unauthorized_client"}, 400)
                        return
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                elif url.path == "/jwks":
                    self._json({"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/userinfo":
                    self._json({"sub": "pengguna-uji", "email": provider.email, "name": "Pengguna SSO"})
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                request = provider.codes.pop(form.get("code", ""), None)
                if self.path != "/token" or request is None:
                    self._json({"error": "invalid_grant"}, 400)
                    return
                verifier = form.get("code_verifier")
                if request.get("code_challenge") and verifier:
                    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
                    if digest.decode() != request["code_challenge"]:
                        self._json({"error": "invalid_grant"}, 400)
                        return
                self._json(
                    {
                        "access_token": secrets.token_urlsafe(16),
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider._id_token(request.get("nonce")),
                    }
                )

        return Handler
