"""The local front door: the docs page (`GET /docs`) and the user pool's managed login, beside the router.

On AWS the docs page is served by the API and managed login by the user pool's domain
(`https://<domain>.auth.<region>.amazoncognito.com/oauth2/authorize` and `/oauth2/token`,
https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html and token-endpoint.html).
Locally both answer on the router's port, so the page's "Authorize" runs authorization code + PKCE against the
local pool (localapi/cognitoidp/signin.py `UserPool.authorize` / `token`) without another origin; every other
path goes to the router. The token endpoint answers CORS as Cognito's does for browser apps (Amplify exchanges
the code from the page).
"""

from __future__ import annotations

import base64
import json
import re
from html import escape
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl, urlencode

from contract import docs_page
from localapi.apigateway.responses import HttpResponse
from localapi.cognitoidp.signin import SignInError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from devtools.lab.router import Router
    from localapi.apigateway.events import IncomingRequest
    from localapi.cognitoidp.authorizer import TokenIssuer
    from localapi.cognitoidp.signin import AppClient, UserPool

DOCS: Final = "/docs"
REDIRECT: Final = "/docs/oauth2-redirect.html"
AUTHORIZE: Final = "/oauth2/authorize"
TOKEN: Final = "/oauth2/token"
CONFIG_ELEMENT: Final = re.compile(re.escape(docs_page.config_element({})))
LOGIN_FORM: Final = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in (local user pool)</title>
<style>body{{font-family:sans-serif;max-width:22rem;margin:4rem auto}}input,button{{display:block;width:100%;
margin:.4rem 0;padding:.5rem}} .error{{color:#b00}}</style></head>
<body><h1>Sign in</h1><p>Local user pool (managed login, code + PKCE). Demo user: <code>{user}</code></p>
<p class="error">{error}</p>
<form method="post" action="{action}">
{hidden}
<label>Username <input name="username" value="{user}" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form></body></html>
"""


def _html(status: int, text: str, extra: list[tuple[str, str]] | None = None) -> HttpResponse:
    return HttpResponse(status, [("Content-Type", "text/html; charset=utf-8"), *(extra or [])], text.encode())


def _json(status: int, body: dict[str, Any]) -> HttpResponse:
    headers = [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*")]
    return HttpResponse(status, headers, json.dumps(body).encode())


class FrontDoor:
    """Answers /docs and managed login itself; hands every other request to the router."""

    def __init__(self, router: Router, api_dir: Path, cognito: Callable[[], tuple[TokenIssuer, UserPool] | None]):
        self.router = router
        self.api_dir = api_dir
        self._cognito = cognito

    def handle(self, request: IncomingRequest, host: str = "127.0.0.1", port: int = 0) -> HttpResponse:
        """One request."""
        route = (request.method, request.path)
        if route in (("GET", DOCS), ("GET", DOCS + "/")):
            return self.docs(f"http://{host}:{port}")
        if route == ("GET", REDIRECT):
            return _html(200, (self.api_dir / "oauth2-redirect.html").read_text(encoding="utf-8"))
        if route in (("GET", AUTHORIZE), ("POST", AUTHORIZE)):
            return self.authorize(request)
        if route == ("OPTIONS", TOKEN):
            return HttpResponse(
                204,
                [
                    ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Methods", "POST"),
                    ("Access-Control-Allow-Headers", "Content-Type, Authorization"),
                ],
                b"",
            )
        if route == ("POST", TOKEN):
            return self.token(request)
        return self.router.handle(request, host, port)

    def docs(self, origin: str) -> HttpResponse:
        """api/index.html with this server first and the local pool's managed login for "Authorize"."""
        page = (self.api_dir / "index.html").read_text(encoding="utf-8")
        public = json.loads((self.api_dir / "openapi.json").read_text(encoding="utf-8"))
        servers = [{"url": origin, "description": "This server (the page was served by it)."}]
        servers += [s for s in public.get("servers", []) if s["url"] != origin]
        config: dict[str, Any] = {"servers": servers, "redirectUrl": origin + REDIRECT}
        pool = self._cognito()
        if pool is not None:
            issuer, _ = pool
            app = issuer.app_client()
            config |= {
                "authorizationUrl": origin + AUTHORIZE,
                "tokenUrl": origin + TOKEN,
                "clientId": app.client_id,
                "scopes": list(app.allowed_scopes),
            }
        element = docs_page.config_element(config)
        return _html(200, CONFIG_ELEMENT.sub(lambda _: element, page, count=1))

    def _client(self, client_id: str) -> tuple[AppClient, UserPool] | None:
        pool = self._cognito()
        if pool is None:
            return None
        issuer, user_pool = pool
        clients = [issuer.app_client(), *([issuer.operator_client()] if issuer.operator else [])]
        found = next((c for c in clients if c.client_id == client_id), None)
        return (found, user_pool) if found is not None else None

    def authorize(self, request: IncomingRequest) -> HttpResponse:
        """GET: the sign-in form; POST: check the password, redirect with the code (or the OAuth error)."""
        params = dict(request.query)
        if request.method == "POST":
            params = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
        found = self._client(params.get("client_id", ""))
        if found is None or params.get("response_type") != "code" or not params.get("redirect_uri"):
            return _html(400, "<p>invalid_request: client_id, response_type=code and redirect_uri are required</p>")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return _html(400, "<p>invalid_request: this client requires PKCE (code_challenge, S256)</p>")
        client, pool = found
        issuer = self._cognito()
        user = issuer[0].username if issuer else ""
        oauth = {k: v for k, v in params.items() if k not in ("username", "password")}
        if request.method == "GET":
            return _html(200, self._form(oauth, user, ""))
        scopes = params.get("scope", "").split() or None
        try:
            username, password = params.get("username", ""), params.get("password", "")
            code = pool.authorize(client, username, password, oauth["code_challenge"], scopes)
        except SignInError as error:
            if error.code == "invalid_scope":
                query = {"error": "invalid_scope", "error_description": str(error), "state": params.get("state", "")}
                return HttpResponse(302, [("Location", f"{params['redirect_uri']}?{urlencode(query)}")], b"")
            return _html(200, self._form(oauth, params.get("username", user), "Incorrect username or password."))
        location = f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params.get('state', '')})}"
        return HttpResponse(302, [("Location", location)], b"")

    @staticmethod
    def _form(oauth: dict[str, str], user: str, error: str) -> str:
        hidden = "\n".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in oauth.items())
        return LOGIN_FORM.format(user=escape(user), error=escape(error), action=AUTHORIZE, hidden=hidden)

    def token(self, request: IncomingRequest) -> HttpResponse:
        """POST /oauth2/token grant_type=authorization_code (public client: code_verifier, no secret)."""
        form = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
        found = self._client(form.get("client_id", ""))
        if found is None:
            return _json(400, {"error": "invalid_client"})
        if form.get("grant_type") != "authorization_code":
            return _json(400, {"error": "unsupported_grant_type"})
        client, pool = found
        secret = form.get("client_secret")
        basic = request.header("Authorization") or ""
        if basic.startswith("Basic "):  # a confidential client may authenticate either way (token-endpoint.html)
            secret = base64.b64decode(basic.removeprefix("Basic ")).decode().partition(":")[2]
        try:
            tokens = pool.token(client, form.get("code", ""), form.get("code_verifier", ""), secret)
        except SignInError as error:
            return _json(400, {"error": error.code, "error_description": str(error)})
        return _json(
            200,
            {
                "access_token": tokens["AccessToken"],
                "id_token": tokens.get("IdToken"),
                "refresh_token": tokens.get("RefreshToken"),
                "token_type": "Bearer",
                "expires_in": tokens.get("ExpiresIn", 3600),
            },
        )
