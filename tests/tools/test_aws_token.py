"""tools/aws_token.py against the local stack's managed login (devtools/lab/frontdoor.py): the browser's part (the
sign-in form) is played by posting the form, the rest is the script's own code."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING

import jwt
import pytest

from devtools.lab.cluster import LocalApi, Options
from localapi.backends.stack import DEMO_PASSWORD, DEMO_USER
from localapi.cognitoidp.signin import LOCAL_PASSWORD
from tools import aws_token

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    options = Options(regions=["us-east-1"], port=0, state_dir=tmp_path_factory.mktemp("state"))
    with LocalApi(options) as api:
        yield api


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: object) -> None:
        return None


def sign_in_form(url: str, username: str, password: str) -> str:
    """What the person does in the browser: open the URL, submit the form; the address redirected to."""
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    form = urllib.parse.urlencode({**query, "username": username, "password": password}).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url.split("?")[0], data=form)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302
        return str(redirect.headers["Location"])
    raise AssertionError("managed login did not redirect")


def test_token_end_user_code_pkce_gives_a_working_token(local: LocalApi) -> None:
    assert local.cognito is not None
    client_id = local.cognito.app_client().client_id
    verifier, challenge = aws_token.pkce()
    url = aws_token.authorize_url(local.url, client_id, aws_token.END_USER_CALLBACK, challenge, "s1", [])
    redirected = sign_in_form(url, DEMO_USER, DEMO_PASSWORD)
    assert redirected.startswith(aws_token.END_USER_CALLBACK)
    code = aws_token.code_from(redirected, "s1")
    tokens = aws_token.redeem(local.url, client_id, aws_token.END_USER_CALLBACK, code, verifier)
    request = urllib.request.Request(
        local.url + "/v1/items", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200


def test_token_operator_uses_the_client_secret(local: LocalApi) -> None:
    assert local.cognito is not None
    local.operator_token("olga")  # an administrator put olga in the operators group
    operator = local.cognito.operator_client()
    verifier, challenge = aws_token.pkce()
    url = aws_token.authorize_url(local.url, operator.client_id, aws_token.OPERATOR_CALLBACK, challenge, "s2", [])
    code = aws_token.code_from(sign_in_form(url, "olga", LOCAL_PASSWORD), "s2")
    with pytest.raises(aws_token.TokenError, match="invalid_client"):
        aws_token.redeem(local.url, operator.client_id, aws_token.OPERATOR_CALLBACK, code, verifier, "wrong")
    code = aws_token.code_from(sign_in_form(url, "olga", LOCAL_PASSWORD), "s2")
    callback = aws_token.OPERATOR_CALLBACK
    tokens = aws_token.redeem(local.url, operator.client_id, callback, code, verifier, operator.secret)
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert claims["client_id"] == operator.client_id
    assert set(local.cognito.groups) <= set(claims["cognito:groups"])


def test_token_refuses_a_pasted_address_without_our_code() -> None:
    with pytest.raises(aws_token.TokenError, match="holds no code"):
        aws_token.code_from("app://auth/callback?code=abc&state=other", "mine")
    with pytest.raises(aws_token.TokenError, match="invalid_scope"):
        aws_token.code_from("app://auth/callback?error=invalid_scope&state=mine", "mine")


def test_token_without_inputs_says_what_to_give() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPERATOR_CLIENT_SECRET"}
    command = [sys.executable, "-m", "tools.aws_token"]
    run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 2 and run.stderr.strip().splitlines() == [
        "token: give --outputs (terraform output -json), or --base-url and --client-id"
    ]
