"""The user pool's pre token generation trigger (event version V2_0), run as Cognito runs it.

Cognito builds the event (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html:
`request.userAttributes`, `request.groupConfiguration`, `request.scopes`, `request.clientMetadata`,
`callerContext.clientId`, `triggerSource`), invokes the function synchronously and applies its
`claimsAndScopeOverrideDetails` to the tokens it is about to issue:
- access token `scope`: the request's scopes plus `accessTokenGeneration.scopesToAdd`, minus
  `scopesToSuppress` (a scope both added and suppressed is suppressed, as for claims); a scope holding a
  space is an invalid response;
- `cognito:groups` (both tokens): replaced by `groupOverrideDetails.groupsToOverride` when the response has a
  groupOverrideDetails, dropped when it is empty or null, unchanged when the response has none;
- a function error fails the sign-in (`UserLambdaValidationException: PreTokenGeneration failed with error ...`).
Here the handler runs in-process (JSON in, JSON out, its environment set as Terraform sets it, its log lines
sent to stderr, or to output_to's stream, as Lambda sends stdout to CloudWatch Logs), with the served API's
lambdas/contract_types.py as its zip holds it (the manifest's `contract_types` of the trigger): the scopes it adds
are that API's, whichever API the kit's own lambdas/contract_types.py describes. Not emulated: the 5-second
limit and Cognito's retries (timing is measured in benchmarks, never asserted), claims other than scope and groups.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import json
import os
import sys
import threading
import types
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Final, TextIO

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

TRIGGER_VERSION: Final = "V2_0"
SOURCES: Final = frozenset(
    {
        "TokenGeneration_HostedAuth",
        "TokenGeneration_Authentication",
        "TokenGeneration_NewPasswordChallenge",
        "TokenGeneration_AuthenticateDevice",
        "TokenGeneration_RefreshTokens",
    }
)
_ENVIRONMENT_LOCK: Final = threading.Lock()
CONTRACT_MODULE: Final = "lambdas.contract_types"
_LOADED: dict[tuple[str, str], Any] = {}
"""(handler module, contract_types source) => the handler module loaded beside that contract_types, as in its zip."""


class SignInError(Exception):
    """Cognito refused: `code` is its error (`invalid_scope`, `invalid_grant`, `InvalidParameterException`...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True)
class Trigger:
    """LambdaConfig.PreTokenGenerationConfig of the pool: the function (ARN and handler) and its environment."""

    arn: str
    handler: str
    environment: dict[str, str] = field(default_factory=dict)
    version: str = TRIGGER_VERSION
    contract_types: str = ""
    """Source of the zip's lambdas/contract_types.py (the manifest's); empty: the importable module as it is."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Trigger:
        """Inverse of to_dict."""
        return cls(**data)


_output: TextIO | None = None
"""Where the function's log lines go (output_to); None: stderr."""


class _Stderr(io.TextIOBase):
    """What the function writes to stdout, on stderr or output_to's stream (resolved at each write: pytest swaps
    sys.stderr, and the function's logger keeps the stream it was created with)."""

    def write(self, text: str) -> int:
        return (_output or sys.stderr).write(text)


@contextlib.contextmanager
def output_to(stream: TextIO) -> Iterator[None]:
    """Send the function's log lines to `stream` instead of stderr, e.g. where stderr is a user's terminal that
    should show nothing else (`python -m localapi token`)."""
    global _output
    saved, _output = _output, stream
    try:
        yield
    finally:
        _output = saved


@contextlib.contextmanager
def _lambda_process(environment: dict[str, str]) -> Iterator[None]:
    with _ENVIRONMENT_LOCK, contextlib.redirect_stdout(_Stderr()):
        saved = {name: os.environ.get(name) for name in environment}
        os.environ.update(environment)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def event(
    source: str,
    region: str,
    pool_id: str,
    client_id: str,
    username: str,
    attributes: dict[str, str],
    groups: list[str],
    scopes: list[str],
    client_metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The V2_0 event Cognito sends for `source` (AWS's example event shape)."""
    if source not in SOURCES:
        raise ValueError(f"{source} is not a pre token generation trigger source")
    request: dict[str, Any] = {
        "userAttributes": attributes,
        "groupConfiguration": {"groupsToOverride": groups, "iamRolesToOverride": [], "preferredRole": None},
        "scopes": scopes,
    }
    if client_metadata:
        request["clientMetadata"] = client_metadata
    return {
        "version": "2",
        "triggerSource": source,
        "region": region,
        "userPoolId": pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": client_id},
        "request": request,
        "response": {},
    }


def _module(name: str, contract_types: str) -> Any:
    """Module `name` as the zip holds it: loaded afresh (once per contract) while `lambdas.contract_types` is the
    zip's copy, so its import-time `from lambdas.contract_types import ...` binds that API's scopes. Without a
    contract source, the module as Python imports it. Called under _ENVIRONMENT_LOCK (invoke), which also keeps
    two loads from swapping the module at once."""
    if not contract_types:
        return importlib.import_module(name)
    key = (name, contract_types)
    if key not in _LOADED:
        contract = types.ModuleType(CONTRACT_MODULE)
        exec(compile(contract_types, f"<zip>/{CONTRACT_MODULE.replace('.', '/')}.py", "exec"), contract.__dict__)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            raise ModuleNotFoundError(f"No module named {name!r}")
        module = importlib.util.module_from_spec(spec)
        saved = sys.modules.get(CONTRACT_MODULE)
        sys.modules[CONTRACT_MODULE] = contract
        try:
            spec.loader.exec_module(module)
        finally:
            if saved is None:
                sys.modules.pop(CONTRACT_MODULE, None)
            else:
                sys.modules[CONTRACT_MODULE] = saved
        _LOADED[key] = module
    return _LOADED[key]


def invoke(trigger: Trigger, sent: dict[str, Any]) -> dict[str, Any]:
    """Run the function on `sent` as Lambda would; returns its claimsAndScopeOverrideDetails ({} if none)."""
    module_name, _, function = trigger.handler.rpartition(".")
    with _lambda_process({**trigger.environment, "AWS_REGION": sent["region"]}):
        try:
            handler: Callable[[Any, Any], Any] = getattr(_module(module_name, trigger.contract_types), function)
            returned = json.loads(json.dumps(handler(json.loads(json.dumps(sent)), None)))
        except Exception as error:  # any failure of the function fails the sign-in, as in Cognito
            raise SignInError(
                "UserLambdaValidationException", f"PreTokenGeneration failed with error {error}."
            ) from None
    response = returned.get("response") if isinstance(returned, dict) else None
    details = response.get("claimsAndScopeOverrideDetails") if isinstance(response, dict) else None
    if details is not None and not isinstance(details, dict):
        raise SignInError("InvalidLambdaResponseException", "Invalid lambda response: claimsAndScopeOverrideDetails")
    return details or {}


def _scope_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(s, str) and s and " " not in s for s in value):
        raise SignInError("InvalidLambdaResponseException", f"Invalid lambda response: {name}")
    return value


def apply(claims: dict[str, Any], details: dict[str, Any], *, access: bool) -> dict[str, Any]:
    """`claims` of one token after the trigger's response `details` (scopes only in the access token)."""
    out = dict(claims)
    if access:
        section = details.get("accessTokenGeneration") or {}
        add = _scope_list(section.get("scopesToAdd"), "scopesToAdd")
        suppress = set(_scope_list(section.get("scopesToSuppress"), "scopesToSuppress"))
        scopes = list(dict.fromkeys([*str(claims.get("scope", "")).split(), *add]))
        out["scope"] = " ".join(scope for scope in scopes if scope not in suppress)
    if "groupOverrideDetails" in details:
        groups = (details["groupOverrideDetails"] or {}).get("groupsToOverride") or []
        out.pop("cognito:groups", None)
        if groups:
            out["cognito:groups"] = list(groups)
    return out
