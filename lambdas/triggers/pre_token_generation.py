"""Pre token generation trigger, event version V2_0: the API's scopes in the access tokens of every sign-in flow.

Cognito's API sign-in flows (InitiateAuth USER_SRP_AUTH, USER_PASSWORD_AUTH and their REFRESH_TOKEN_AUTH) issue
access tokens with `aws.cognito.signin.user.admin` only, no custom scope; a V2_0 trigger may add scopes
(`claimsAndScopeOverrideDetails.accessTokenGeneration.scopesToAdd`) and remove them (`scopesToSuppress`)
(https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html). Cognito runs
it for every token it issues: TokenGeneration_Authentication, _HostedAuth (managed login), _NewPasswordChallenge,
_AuthenticateDevice and _RefreshTokens.

The rules (the scopes come from the contract, lambdas/contract_types.py):
- the mobile app client (APP_CLIENT_ID) gets the end-user scopes (those of no group). In an API session (its
  `request.scopes` hold aws.cognito.signin.user.admin) all of them are added; in a managed-login session the scopes
  are the ones the app asked for and Cognito granted from the client's list, and nothing is added.
- a group scope (operators) is added only on the operator client (OPERATOR_CLIENT_ID) for a member of its group,
  and suppressed everywhere else, whatever the request or its clientMetadata ask for.
- the caller's groups are handed back unchanged (`groupOverrideDetails`: an empty or null one would drop
  `cognito:groups`, which the admin handler checks).
Each decision is logged as one JSON line. Nothing here calls AWS: the role may write its own log group only.
"""

from __future__ import annotations

import os
from typing import Any, Final

from lambdas import end_of_init
from lambdas.contract_types import SCOPE_GROUPS, SCOPES
from lambdas.runtime.log import get_logger

API_SESSION_SCOPE: Final = "aws.cognito.signin.user.admin"
"""The scope Cognito puts in the tokens of its API sign-in flows (InitiateAuth), not in managed login's."""
END_USER_SCOPES: Final = tuple(sorted({s for scopes in SCOPES.values() for s in scopes} - set(SCOPE_GROUPS)))

_log = get_logger("lambdas.triggers.pre_token_generation")


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def decide(event: dict[str, Any], app_client_id: str, operator_client_id: str) -> dict[str, Any]:
    """The trigger's decision for `event`: which client, whose groups, the scopes to add and to suppress."""
    request = event.get("request") or {}
    client_id = str((event.get("callerContext") or {}).get("clientId", ""))
    scopes = set(_strings(request.get("scopes")))
    groups = set(_strings((request.get("groupConfiguration") or {}).get("groupsToOverride")))
    api_session = API_SESSION_SCOPE in scopes
    client = {app_client_id: "app", operator_client_id: "operator"}.get(client_id, "other") if client_id else "other"
    entitled = {scope for scope, group in SCOPE_GROUPS.items() if client == "operator" and group in groups}
    add: set[str] = set()
    if api_session and client == "app":
        add = set(END_USER_SCOPES)
    elif api_session and client == "operator":
        add = entitled
    return {
        "client": client,
        "clientId": client_id,
        "triggerSource": event.get("triggerSource"),
        "session": "api" if api_session else "oauth",
        "groups": sorted(groups),
        "scopesToAdd": sorted(add - scopes),
        "scopesToSuppress": sorted(set(SCOPE_GROUPS) - entitled),
    }


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Cognito's V2_0 pre token generation event in, the same event with its response out."""
    app_client_id = os.environ.get("APP_CLIENT_ID", "")
    if not app_client_id:
        # Fail the sign-in rather than issue tokens no operation accepts: the deployment is wrong.
        raise RuntimeError("APP_CLIENT_ID is not set: the trigger cannot tell the mobile app client")
    decision = decide(event, app_client_id, os.environ.get("OPERATOR_CLIENT_ID", ""))
    group_configuration = (event.get("request") or {}).get("groupConfiguration") or {}
    event["response"] = {
        "claimsAndScopeOverrideDetails": {
            "accessTokenGeneration": {
                "scopesToAdd": decision["scopesToAdd"],
                "scopesToSuppress": decision["scopesToSuppress"],
            },
            "groupOverrideDetails": {
                "groupsToOverride": _strings(group_configuration.get("groupsToOverride")),
                "iamRolesToOverride": _strings(group_configuration.get("iamRolesToOverride")),
                "preferredRole": group_configuration.get("preferredRole"),
            },
        }
    }
    _log.info("scopes decided", extra={"decision": decision, "user": event.get("userName")})
    end_of_init()
    return event
