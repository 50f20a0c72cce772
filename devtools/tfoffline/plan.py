"""What the stand-in provider plans and applies: schema-driven, no AWS.

Planning a create returns Terraform's proposed value with every unset computed attribute unknown,
except `region` (the provider's region) and `tags_all` (default tags merged with `tags`), which the
real aws provider 6 also knows at plan time. Applying fills the remaining unknowns with placeholders
shaped like the real thing (ARNs, ids, URLs), so `terraform test` runs with `command = apply` can
assert on whole values.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from devtools.tfoffline.cty import UNKNOWN, Dyn, is_known

ACCOUNT_ID = "123456789012"


@dataclass
class Context:
    """Provider-level settings that shape planned and applied values."""

    region: str = "us-east-1"
    partition: str = "aws"
    account_id: str = ACCOUNT_ID
    default_tags: dict[str, str] = field(default_factory=dict)


def plan_resource(block: dict[str, Any], prior: Any, proposed: Any, ctx: Context) -> Any:
    """The planned new state of a managed resource (None when it is being destroyed)."""
    if proposed is None or proposed is UNKNOWN:
        return proposed
    planned = _plan_object(block, proposed, creating=prior is None)
    if "region" in block["attributes"] and planned.get("region") in (None, UNKNOWN):
        planned["region"] = ctx.region
    if "tags_all" in block["attributes"] and "tags" in block["attributes"]:
        tags = planned.get("tags")
        if tags is not None and not is_known(tags):
            planned["tags_all"] = UNKNOWN
        else:
            planned["tags_all"] = {**ctx.default_tags, **(tags or {})}
    return planned


def _plan_object(block: dict[str, Any], value: dict[str, Any], creating: bool) -> dict[str, Any]:
    planned = dict(value)
    for name, attr in block["attributes"].items():
        current = value.get(name)
        if attr.get("write_only"):  # never planned nor stored: Terraform requires null
            planned[name] = None
        elif current is None:
            if attr.get("computed") and creating:
                planned[name] = UNKNOWN
        elif "nested_type" in attr and current is not UNKNOWN:
            nested = attr["nested_type"]
            inner = {"attributes": nested["attributes"], "block_types": {}}
            planned[name] = _map_nested(nested["nesting_mode"], current, partial(_plan_nested, inner, creating))
    for name, nested in block["block_types"].items():
        current = value.get(name)
        if current is None or current is UNKNOWN:
            continue
        planned[name] = _map_nested(nested["nesting_mode"], current, partial(_plan_nested, nested["block"], creating))
    return planned


def _plan_nested(block: dict[str, Any], creating: bool, value: dict[str, Any]) -> dict[str, Any]:
    return _plan_object(block, value, creating)


def _map_nested(mode: str, value: Any, fn: Any) -> Any:
    if mode in ("single", "group"):
        return fn(value) if isinstance(value, dict) else value
    if mode == "map":
        return {key: fn(item) if isinstance(item, dict) else item for key, item in value.items()}
    return [fn(item) if isinstance(item, dict) else item for item in value]


# --------------------------------------------------------------------------------------------------
# Apply: fill unknowns with plausible placeholders.

_SERVICES = {
    "api_gateway": "apigateway",
    "apigatewayv2": "apigateway",
    "cloudwatch_log": "logs",
    "cloudwatch_event": "events",
    "cognito": "cognito-idp",
    "lambda": "lambda",
    "dynamodb": "dynamodb",
    "iam": "iam",
    "secretsmanager": "secretsmanager",
    "kms": "kms",
    "route53": "route53",
    "acm": "acm",
    "s3": "s3",
    "sns": "sns",
    "sqs": "sqs",
    "wafv2": "wafv2",
    "ssm": "ssm",
}
_GLOBAL_SERVICES = {"iam", "route53", "s3"}
_NAME_HINTS = ("name", "function_name", "table_name", "bucket", "role", "secret_id", "rest_api_id", "statement_id")


def apply_resource(type_name: str, block: dict[str, Any], planned: Any, ctx: Context) -> Any:
    """The new state after a (pretend) apply: the plan with every unknown replaced by a placeholder."""
    if planned is None:
        return None
    namer = _Namer(type_name, planned, ctx)
    hook = _APPLY_HOOKS.get(type_name)
    if hook is not None:
        planned = {**planned, **{k: v for k, v in hook(planned, namer).items() if planned.get(k) is UNKNOWN}}
    return _fill_object(block, planned, namer)


def _acm_certificate(planned: dict[str, Any], namer: _Namer) -> dict[str, Any]:
    """One DNS validation record per name, as ACM hands them out."""
    sans = planned.get("subject_alternative_names")
    names = [planned.get("domain_name"), *(sans if isinstance(sans, list) else [])]
    names = sorted({n for n in names if isinstance(n, str)})
    options = [
        {
            "domain_name": name,
            "resource_record_name": f"_{namer.token(name, length=32)}.{name}.",
            "resource_record_type": "CNAME",
            "resource_record_value": f"_{namer.token('value', name, length=32)}.acm-validations.aws.",
        }
        for name in names
    ]
    return {"domain_validation_options": options, "subject_alternative_names": names}


def fill_object(type_name: str, block: dict[str, Any], value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Fill the unknowns of a block value (data sources use this for what they do not compute)."""
    filled: dict[str, Any] = _fill_object(block, value, _Namer(type_name, value, ctx))
    return filled


@dataclass
class _Namer:
    type_name: str
    top: dict[str, Any]
    ctx: Context

    @property
    def service(self) -> str:
        short = self.type_name.removeprefix("aws_")
        for prefix, service in _SERVICES.items():
            if short.startswith(prefix):
                return service
        return short.split("_", 1)[0]

    @property
    def name(self) -> str:
        for hint in _NAME_HINTS:
            value = self.top.get(hint)
            if isinstance(value, str) and value:
                return value.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
        return self.type_name.removeprefix("aws_").replace("_", "-")

    def token(self, *parts: str, length: int = 10) -> str:
        seed = "|".join((self.type_name, self.name, *parts))
        return hashlib.sha256(seed.encode()).hexdigest()[:length]

    def arn(self, kind: str = "") -> str:
        service = self.service
        region = "" if service in _GLOBAL_SERVICES else str(self.top.get("region") or self.ctx.region)
        account = "" if service == "s3" else self.ctx.account_id
        if self.type_name == "aws_lambda_alias":
            # A qualified function ARN, function:<function>:<alias> (Lambda API, AliasConfiguration AliasArn),
            # so each function's alias is a distinct ARN as in AWS.
            function = str(self.top.get("function_name") or "function").rsplit(":", 1)[-1]
            return f"arn:{self.ctx.partition}:lambda:{region}:{account}:function:{function}:{self.name}"
        resource = kind or self.type_name.removeprefix("aws_").split("_", 1)[-1].replace("_", "-")
        return f"arn:{self.ctx.partition}:{service}:{region}:{account}:{resource}/{self.name}"

    def string(self, path: tuple[str, ...]) -> str:
        leaf = path[-1]
        region = str(self.top.get("region") or self.ctx.region)
        if leaf == "invoke_arn" and self.service == "lambda":
            function_arn = self.top.get("arn") if is_known(self.top.get("arn")) else self.arn()
            path_part = f"path/2015-03-31/functions/{function_arn}/invocations"
            return f"arn:{self.ctx.partition}:apigateway:{region}:lambda:{path_part}"
        if leaf == "execution_arn":
            return f"arn:{self.ctx.partition}:execute-api:{region}:{self.ctx.account_id}:{self.token('id')}"
        if leaf == "arn" or leaf.endswith("_arn"):
            return self.arn()
        if leaf == "id" and len(path) == 1:
            if self.service in ("apigateway", "cognito-idp"):
                return self.token("id")
            return self.name
        if leaf.endswith("url") or leaf.endswith("endpoint"):
            return f"https://{self.token('id')}.{self.service}.{region}.amazonaws.com/"
        if leaf.endswith("_id") or leaf == "id":
            return self.token(*path)
        if leaf in ("version", "latest_version"):
            return "1"
        if leaf.endswith("date") or leaf.endswith("_time") or leaf == "created_date":
            return "2024-01-01T00:00:00Z"
        return f"tfoffline-{self.token(*path, length=8)}"


def _fill_object(block: dict[str, Any], value: Any, namer: _Namer, path: tuple[str, ...] = ()) -> Any:
    if value is UNKNOWN:
        value = {}
    if not isinstance(value, dict):
        return value
    filled = dict(value)
    for name, attr in block["attributes"].items():
        current = value.get(name)
        if "nested_type" in attr:
            nested = attr["nested_type"]
            inner = {"attributes": nested["attributes"], "block_types": {}}
            mode = nested["nesting_mode"]
            if current is UNKNOWN:
                filled[name] = _fill_object(inner, {}, namer, (*path, name)) if mode == "single" else _empty(mode)
            elif current is not None:
                filled[name] = _map_nested(
                    mode, current, lambda v, n=name, b=inner: _fill_object(b, v, namer, (*path, n))
                )
        else:
            filled[name] = _fill_value(current, attr["type"], namer, (*path, name))
    for name, nested in block["block_types"].items():
        current = value.get(name)
        mode = nested["nesting_mode"]
        if current is UNKNOWN:
            filled[name] = None if mode in ("single", "group") else _empty(mode)
        elif current is not None:
            filled[name] = _map_nested(
                mode, current, lambda v, n=name, b=nested["block"]: _fill_object(b, v, namer, (*path, n))
            )
    return filled


def _empty(mode: str) -> Any:
    return {} if mode == "map" else []


def _fill_value(value: Any, ty: Any, namer: _Namer, path: tuple[str, ...]) -> Any:
    if value is UNKNOWN:
        return _placeholder(ty, namer, path)
    if value is None or is_known(value):
        return value
    if isinstance(value, Dyn):
        return Dyn(value.type, _fill_value(value.value, value.type, namer, path))
    kind = ty[0] if isinstance(ty, list) else ty
    if kind in ("list", "set"):
        return [_fill_value(item, ty[1], namer, path) for item in value]
    if kind == "tuple":
        return [_fill_value(item, item_ty, namer, path) for item, item_ty in zip(value, ty[1], strict=True)]
    if kind == "map":
        return {key: _fill_value(item, ty[1], namer, (*path, key)) for key, item in value.items()}
    if kind == "object":
        return {key: _fill_value(value.get(key), attr_ty, namer, (*path, key)) for key, attr_ty in ty[1].items()}
    return value


def _placeholder(ty: Any, namer: _Namer, path: tuple[str, ...]) -> Any:
    if ty == "string":
        return namer.string(path)
    if ty == "number":
        return 1 if path[-1] in ("version", "schema_version") else 0
    if ty == "bool":
        return False
    if ty == "dynamic":
        return None
    kind = ty[0]
    if kind in ("list", "set"):
        return []
    if kind == "map":
        return {}
    if kind == "object":
        return {key: _placeholder(attr_ty, namer, (*path, key)) for key, attr_ty in ty[1].items()}
    return [_placeholder(item_ty, namer, path) for item_ty in ty[1]]


def _cognito_resource_server(planned: dict[str, Any], namer: _Namer) -> dict[str, Any]:
    """`<identifier>/<scope_name>` per scope."""
    declared = planned.get("scope")
    scopes: list[Any] = declared if isinstance(declared, list) else []
    return {"scope_identifiers": [f"{planned.get('identifier')}/{scope.get('scope_name')}" for scope in scopes]}


_APPLY_HOOKS = {"aws_acm_certificate": _acm_certificate, "aws_cognito_resource_server": _cognito_resource_server}
