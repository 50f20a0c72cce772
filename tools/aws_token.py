"""An access token from the deployed user pool, for an end user or an operator: managed login, code + PKCE.

    terraform -chdir=terraform output -json > build/outputs.json
    python -m tools.aws_token --outputs build/outputs.json                 # end user (the mobile app client)
    python -m tools.aws_token --outputs build/outputs.json --operator      # operator (OPERATOR_CLIENT_SECRET set)

It prints the managed-login URL; sign in in a browser. With a `http://localhost:<port>/...` callback (the operator
client's default, `cognito.operator_callback_urls`) it catches the redirect itself; with another one (the mobile
client's `app://auth/callback`) paste the address the browser lands on. It then redeems the code at the token
endpoint and prints the access token. Standard library only: the flow is three HTTP exchanges
(https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html, token-endpoint.html), and
managed login, unlike SRP, needs no client-side cryptography beyond SHA-256.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

END_USER_CALLBACK = "app://auth/callback"
OPERATOR_CALLBACK = "http://localhost:8400/callback"


class TokenError(Exception):
    """The sign-in did not give a token; the message says why and what to do."""


def pkce() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(base: str, client_id: str, redirect_uri: str, challenge: str, state: str, scopes: list[str]) -> str:
    """The managed-login address that starts the sign-in."""
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": state,
    }
    if scopes:
        query["scope"] = " ".join(scopes)
    return f"{base}/oauth2/authorize?{urllib.parse.urlencode(query)}"


def code_from(redirected: str, state: str) -> str:
    """The authorization code in the address managed login redirected to (checked against our state)."""
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(redirected.strip()).query))
    if "error" in query:
        raise TokenError(f"managed login refused: {query['error']} {query.get('error_description', '')}".strip())
    if query.get("state") != state or "code" not in query:
        raise TokenError("that address holds no code for this sign-in: paste the whole address after signing in")
    return query["code"]


def redeem(
    base: str, client_id: str, redirect_uri: str, code: str, verifier: str, secret: str | None = None
) -> dict[str, Any]:
    """POST /oauth2/token grant_type=authorization_code: the token response."""
    form = {"grant_type": "authorization_code", "client_id": client_id, "code": code, "redirect_uri": redirect_uri}
    form["code_verifier"] = verifier
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if secret:  # a confidential client authenticates with HTTP Basic (token-endpoint.html)
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        headers["Authorization"] = f"Basic {basic}"
    request = urllib.request.Request(
        f"{base}/oauth2/token", data=urllib.parse.urlencode(form).encode(), headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # https, or the local stack
            return json.loads(response.read())  # type: ignore[no-any-return]
    except urllib.error.HTTPError as error:
        raise TokenError(f"the token endpoint refused the code: {error.read().decode(errors='replace')}") from None


def _catch_redirect(redirect_uri: str) -> str:
    """Serve one request on the localhost callback and return its full address."""
    parts = urllib.parse.urlsplit(redirect_uri)
    caught: list[str] = []

    class Callback(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            caught.append(f"{redirect_uri.split('?')[0]}?{urllib.parse.urlsplit(self.path).query}")
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"Signed in: you can close this tab.")

        def log_message(self, *_: Any) -> None:
            return

    with HTTPServer((parts.hostname or "localhost", parts.port or 80), Callback) as server:
        while not caught:
            server.handle_request()
    return caught[0]


def _outputs(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: value.get("value") if isinstance(value, dict) else value for name, value in data.items()}


def main(argv: list[str] | None = None) -> int:
    """Sign in and print the access token."""
    parser = argparse.ArgumentParser(prog="python -m tools.aws_token", description=__doc__.splitlines()[0])
    parser.add_argument("--outputs", type=Path, help="`terraform output -json` of the root (domain, clients)")
    parser.add_argument("--base-url", help="managed login, e.g. https://<prefix>.auth.<region>.amazoncognito.com")
    parser.add_argument("--client-id", help="default: user_pool_client_id (operator_client_id with --operator)")
    parser.add_argument("--operator", action="store_true", help="the operator client (OPERATOR_CLIENT_SECRET)")
    parser.add_argument("--redirect-uri", help=f"default: {END_USER_CALLBACK}, or {OPERATOR_CALLBACK} with --operator")
    parser.add_argument("--scopes", default="", help="space-separated; default: all the client may grant")
    args = parser.parse_args(argv)
    outputs = _outputs(args.outputs) if args.outputs else {}
    base = args.base_url
    if base is None and outputs:
        base = f"https://{outputs['user_pool_domain']}.auth.{outputs['primary_region']}.amazoncognito.com"
    client_id = args.client_id or outputs.get("operator_client_id" if args.operator else "user_pool_client_id")
    if not base or not client_id:
        print("token: give --outputs (terraform output -json), or --base-url and --client-id", file=sys.stderr)
        return 2
    secret = os.environ.get("OPERATOR_CLIENT_SECRET") if args.operator else None
    if args.operator and not secret:
        print(
            "token: set OPERATOR_CLIENT_SECRET (aws cognito-idp describe-user-pool-client --user-pool-id <id> "
            "--client-id <operator_client_id> --query UserPoolClient.ClientSecret --output text)",
            file=sys.stderr,
        )
        return 2
    redirect_uri = args.redirect_uri or (OPERATOR_CALLBACK if args.operator else END_USER_CALLBACK)
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(16)
    print("Sign in here:\n  " + authorize_url(base, client_id, redirect_uri, challenge, state, args.scopes.split()),
          file=sys.stderr)  # fmt: skip
    try:
        if redirect_uri.startswith(("http://localhost:", "http://127.0.0.1:")):
            redirected = _catch_redirect(redirect_uri)
        else:
            redirected = input(f"then paste the address the browser lands on ({redirect_uri}?code=...): ")
        tokens = redeem(base, client_id, redirect_uri, code_from(redirected, state), verifier, secret)
    except TokenError as error:
        print(f"token: {error}", file=sys.stderr)
        return 1
    print(tokens["access_token"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
