"""`operation`: turns a function of a checked Request into a Lambda handler for one contract operation.

The wrapper does, in order: request id and log context; the caller and its scopes (defence in depth:
the gateway's authorizer checks them first); path, query and body against the contract's schemas;
the endpoint; the JSON response. A ServiceError becomes its status and the Error body; a dependency that
does not answer (runtime/errors.py `unavailable`) a 503 with Retry-After; anything else a 500 whose body
carries only the request id, with the details in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import lambdas
from lambdas.contract_types import INPUTS, SCOPE_GROUPS, SCOPES
from lambdas.runtime import log
from lambdas.runtime.errors import ForbiddenError, InternalError, ServiceError, UnauthorizedError, unavailable
from lambdas.runtime.events import Request, caller_of, parse_request, request_id_of
from lambdas.runtime.responses import binary_response, error_response, json_response

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from types import ModuleType

Response: TypeAlias = "tuple[int, Any] | tuple[int, Any, Mapping[str, str]]"
"""(status, body) or (status, body, headers): body None for a 204, a list for a top-level array, bytes for a binary
body; headers are the response headers the contract declares for that status (Location on a 201), and for a binary
body of several declared media types its Content-Type."""
Endpoint: TypeAlias = "Callable[[Request], Response]"
LambdaHandler: TypeAlias = "Callable[[dict[str, Any], Any], dict[str, Any]]"


@dataclass(frozen=True, slots=True)
class OperationSpec:
    """What a handler declares about itself; tests compare it with the contract."""

    operation_id: str
    scopes: tuple[str, ...]

    @property
    def public(self) -> bool:
        """Whether callers need no token."""
        return not self.scopes


REGISTRY: dict[str, OperationSpec] = {}
"""Every operation whose handler module has been imported, by operation_id."""

_log = log.get_logger()
first_request = True
"""True until the container's first request has been answered."""


def _end_of_init() -> None:
    global first_request
    first_request = False
    lambdas.end_of_init()


def operation(operation_id: str, contract: ModuleType | None = None) -> Callable[[Endpoint], LambdaHandler]:
    """Decorate the endpoint of `operation_id`: its inputs and scopes come from the generated contract.

    The caller needs any one of the operation's scopes; an operation without scopes is public. `contract`: the
    generated contract_types module of another API (examples/orders: `from .. import contract_types`, which is
    lambdas.contract_types again in its zip); the kit's own by default.
    """
    rules = contract.INPUTS if contract else INPUTS
    if operation_id not in rules:  # one line that names the fix, not a bare KeyError at import
        raise LookupError(
            f"{operation_id!r} is no operation of {'its contract' if contract else 'lambdas.contract_types'}: run "
            f"`make swagger` (API=<folder>); another API's handler passes its own: `from .. import contract_types`, "
            f"@operation({operation_id!r}, contract_types)"
        )
    inputs = rules[operation_id]
    scopes = (contract.SCOPES if contract else SCOPES)[operation_id]
    groups = contract.SCOPE_GROUPS if contract else SCOPE_GROUPS
    binary_answers = (inputs.get("binary") or {}).get("responses") or {}
    spec = REGISTRY[operation_id] = OperationSpec(operation_id, scopes)
    allowed = frozenset(scopes)
    log_context = log.context

    def decorate(endpoint: Endpoint) -> LambdaHandler:
        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            request_id = request_id_of(event, context)
            log_context["operation"] = operation_id
            log_context["requestId"] = request_id
            try:
                caller = caller_of(event)
                if not spec.public:
                    if caller is None:
                        raise UnauthorizedError("No caller identity")
                    if allowed.isdisjoint(caller.scopes):
                        raise ForbiddenError(f"This operation needs the scope {' or '.join(scopes)}")
                    if all(groups.get(s, "") not in {"", *caller.groups} for s in allowed & caller.scopes):
                        raise ForbiddenError("Not in the group of this scope")
                result = endpoint(parse_request(event, request_id, caller, inputs))
                extra = result[2] if len(result) == 3 else None
                if isinstance(result[1], bytes):
                    return binary_response(result[0], result[1], request_id, binary_answers[str(result[0])], extra)
                return json_response(result[0], result[1], request_id, extra)
            except ServiceError as error:
                fields = {"status": error.status_code, "code": error.code, "field": error.field}
                _log.log(40 if error.status_code >= 500 else 20, "refused", extra=fields)
                return error_response(error, request_id)
            except Exception as error:
                outage = unavailable(error)
                if outage is None:
                    _log.exception("unexpected error")
                    return error_response(InternalError(), request_id)
                # A dependency down is the region's state, not a bug: one line, no traceback.
                _log.error("dependency unavailable", extra={"status": 503, "error": type(error).__name__})
                return error_response(outage, request_id)
            finally:
                if first_request:
                    _end_of_init()

        handler.__doc__ = endpoint.__doc__
        handler.__qualname__ = handler.__name__ = "handler"
        return handler

    return decorate
