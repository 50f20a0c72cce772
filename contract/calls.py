"""Calls a handler makes to AWS resources the team owns (an event bus, a queue, a table of its own, ...).

The kit's own resources (the table, the secret) keep their short declarations (contract/operation.py `Access`);
anything else a handler calls is a `Call` in the same `access` set:

    ORDER_EVENTS = Resource("order_events", EVENT_BUS)
    access=frozenset({Access.TABLE_PUT_ITEM, Call(ORDER_EVENTS, ("events:PutEvents",))})

contract/compiled.py carries each call into the manifest (api/routes.json `calls`); Terraform maps each declared
resource name to its ARN in every region (variable `resources`, checked at plan time against the type's ARN
format below), grants exactly the declared actions on it (terraform/modules/global/iam.tf) and gives the
function its ARN in `<NAME>_ARN` (terraform/modules/regional/lambda.tf; lambdas/aws.py `resource_arn`).

The rules encoded here, with their AWS pages:
- An action is `<service prefix>:<action name>`; prefix and name are case insensitive, `*` and `?` are wildcards
  (IAM JSON policy elements: Action, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
  Wildcards are refused: they grant actions the handler does not call (today's or a service's future ones) and
  the least-privilege test could no longer compare what is granted with what is called.
- A resource is named by its ARN, `arn:partition:service:region:account-id:resource`, and "the ARNs for some
  resources omit the Region, the account ID, or both" (Identify AWS resources with ARNs,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). Each resource type's format is the one
  its service's page of the Service Authorization Reference lists under "Resource types defined by ..."
  (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
  with `${Partition}`, `${Region}`, `${Account}` and the type's own name placeholders.
- A wildcard may end a resource segment (IAM JSON policy elements: Resource,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html): `under="/invoices/*"`
  grants the objects under a prefix of a bucket.
- Only a service the handlers' client can call (lambdas/awsclient.py, stdlib only: the AWS JSON protocol) may be
  called: its table, lambdas/awsservices.py, is the one list, read here so `make swagger` refuses a call the
  function could only fail at run time (SNS speaks the query protocol, S3 rest-xml: no client for them). contract/
  imports that data module only (no client, no runtime code): the runtime's fact lives where the zip needs it.
- KMS: a service that encrypts a resource with a customer managed key uses the key with the caller's own
  permission for some calls (SQS SendMessage: kms:GenerateDataKey and kms:Decrypt, SQS developer guide,
  sqs-key-management.html; S3 GetObject on SSE-KMS objects: kms:Decrypt) and with its own for others
  (EventBridge PutEvents: the key policy allows events.amazonaws.com, eb-encryption-key-policy.html): a call
  declares the key actions its caller needs, granted only where Terraform is given the resource's key, and only
  through that service (kms:ViaService).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from lambdas.awsservices import PROTOCOL, SERVICES

_SERVICE: Final = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ACTION: Final = re.compile(r"^([a-z0-9][a-z0-9-]*):([A-Za-z0-9]+)$")
_NAME: Final = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
MAX_NAME: Final = 40
"""A resource name becomes the Terraform key, the statement ids (`Use<Name>In<Region>`, at most 128 characters with
the region) and the variable `<NAME>_ARN`."""
_PLACEHOLDER: Final = re.compile(r"\$\{([A-Za-z]+)\}")
_UNDER: Final = re.compile(r"^/[A-Za-z0-9!_.'()/-]*\*?$")
_RESERVED_PREFIXES: Final = ("aws", "lambda", "x_amzn")
"""Lambda reserves AWS_* and LAMBDA_* variables and _X_AMZN_TRACE_ID (Lambda guide, configuration-envvars.html,
"Defined runtime environment variables"): a resource named so could not carry its variable."""
# The placeholders every ARN format shares; the type's own (its name) match one segment without wildcards.
PARTITION: Final = "(?P<partition>aws(?:-[a-z]+)*)"
REGION: Final = "(?P<region>[a-z]{2}(?:-[a-z]+)+-[0-9]+)"
ACCOUNT: Final = "(?P<account>[0-9]{12})"
_NAME_SEGMENT: Final = "[^:/*?]+"


@dataclass(frozen=True)
class ResourceType:
    """A kind of AWS resource, by its ARN format as the Service Authorization Reference lists it."""

    arn_format: str
    """e.g. `arn:${Partition}:sqs:${Region}:${Account}:${QueueName}`."""

    def __post_init__(self) -> None:
        parts = self.arn_format.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn" or parts[1] != "${Partition}" or not _SERVICE.match(parts[2]):
            raise ValueError(
                f"ResourceType {self.arn_format!r}: an ARN format is arn:${{Partition}}:<service>:<region>:<account>:"
                "<resource>, as the Service Authorization Reference lists it (e.g. "
                "arn:${Partition}:sqs:${Region}:${Account}:${QueueName})"
            )
        if parts[3] not in ("", "${Region}") or parts[4] not in ("", "${Account}"):
            raise ValueError(
                f"ResourceType {self.arn_format!r}: the region is ${{Region}} or empty, the account ${{Account}} or "
                "empty (as the Service Authorization Reference writes them)"
            )

    @property
    def service(self) -> str:
        """The service prefix of its ARNs, which is its IAM actions' prefix too."""
        return self.arn_format.split(":")[2]

    @property
    def regional(self) -> bool:
        """Whether its ARNs name a region (an S3 bucket's do not)."""
        return "${Region}" in self.arn_format

    @property
    def arn_regex(self) -> str:
        """The RE2 pattern (Terraform's `regex`) of its ARNs: named groups partition, region, account."""
        shared = {"Partition": PARTITION, "Region": REGION, "Account": ACCOUNT}
        pattern, end = "^", 0
        for match in _PLACEHOLDER.finditer(self.arn_format):
            pattern += re.escape(self.arn_format[end : match.start()]) + shared.get(match.group(1), _NAME_SEGMENT)
            end = match.end()
        return pattern + re.escape(self.arn_format[end:]) + "$"


EVENT_BUS: Final = ResourceType("arn:${Partition}:events:${Region}:${Account}:event-bus/${EventBusName}")
SQS_QUEUE: Final = ResourceType("arn:${Partition}:sqs:${Region}:${Account}:${QueueName}")
"""The ARN formats of the Service Authorization Reference pages of Amazon EventBridge and Amazon SQS (resource types
`event-bus`, `queue`); a handler sends to a queue at `aws.queue_url(name)`. Another type of a service the client speaks:
`ResourceType("<its format>")`, e.g. a DynamoDB table of the team's
`arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}`."""


@dataclass(frozen=True)
class Resource:
    """An AWS resource the team owns, by the name Terraform's `resources` maps to its ARN in each region."""

    name: str
    type: ResourceType

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name) or len(self.name) > MAX_NAME:
            raise ValueError(
                f"Resource {self.name!r}: the name must be snake_case, at most {MAX_NAME} characters (it is the key "
                f"of Terraform's `resources` and the variable {str(self.name).upper()}_ARN), e.g. 'order_events'"
            )
        if self.name.startswith(_RESERVED_PREFIXES):
            raise ValueError(
                f"Resource {self.name!r}: Lambda reserves the variables its name would make ({self.name.upper()}_ARN: "
                "AWS_*, LAMBDA_*, _X_AMZN_*): choose another name"
            )
        if not isinstance(self.type, ResourceType):
            raise ValueError(
                f"Resource {self.name!r}: type must be a ResourceType (EVENT_BUS, SQS_QUEUE, or "
                f"ResourceType('<ARN format>')), not {self.type!r}"
            )

    @property
    def environment(self) -> str:
        """The variable that carries its ARN to the function (`<NAME>_ARN`)."""
        return f"{self.name.upper()}_ARN"


@dataclass(frozen=True)
class Call:
    """What one handler does to one resource: the IAM actions, on the resource (or `under` a path of it)."""

    resource: Resource
    actions: tuple[str, ...]
    under: str | None = None
    """Appended to the resource's ARN in the grant: `/invoices/*` for the objects under a prefix of a bucket."""
    key_actions: tuple[str, ...] = ()
    """The KMS actions the caller needs when the resource is encrypted with a customer managed key and its service
    uses the key with the caller's permission (e.g. ("kms:Decrypt",)); granted on that key, through this service
    only."""

    def __post_init__(self) -> None:
        if not isinstance(self.resource, Resource):
            raise ValueError(f"Call: resource must be a Resource('<name>', <type>), not {self.resource!r}")
        where = f"Call on {self.resource.name!r}"
        self._check_actions(where)
        if self.under is not None and (not isinstance(self.under, str) or not _UNDER.match(self.under)):
            raise ValueError(
                f"{where}: under {self.under!r} must be a path of the resource starting with '/', at most one '*' and "
                "only at its end, e.g. '/invoices/*'"
            )

    def _check_actions(self, where: str) -> None:
        service = self.resource.type.service
        if not isinstance(self.actions, tuple) or not self.actions:
            raise ValueError(f"{where}: actions must be a non-empty tuple, e.g. ('{service}:<Action>',)")
        for action in self.actions:
            if not isinstance(action, str) or "*" in action or "?" in action:
                raise ValueError(
                    f"{where}: action {action!r} has a wildcard: name each action the handler calls (a wildcard grants "
                    "actions it does not call, and the least-privilege test cannot compare it)"
                )
            match = _ACTION.match(action)
            if match is None:
                raise ValueError(
                    f"{where}: action {action!r} is not '<service>:<Action>', e.g. '{service}:SendMessage'"
                )
            if match.group(1) != service:
                raise ValueError(
                    f"{where}: action {action!r} is not a {service} action (the resource is a {service} resource): "
                    "declare a Call on a resource of that service"
                )
        if service not in SERVICES:
            raise ValueError(
                f"{where}: the handlers' client (lambdas/awsclient.py) cannot call {service}: it speaks {PROTOCOL} to "
                f"{', '.join(sorted(SERVICES))} only; put an EventBridge event (EVENT_BUS, events:PutEvents) whose "
                f"rule delivers to the {service} resource, or add {service} to lambdas/awsservices.py if it speaks "
                "that protocol (docs/calls.md, 'Another service')"
            )
        if not isinstance(self.key_actions, tuple):
            raise ValueError(f"{where}: key_actions must be a tuple, e.g. ('kms:Decrypt',)")
        for action in self.key_actions:
            match = _ACTION.match(action) if isinstance(action, str) else None
            if match is None or match.group(1) != "kms" or "*" in action:
                raise ValueError(
                    f"{where}: key action {action!r} must be a KMS action, no wildcard, e.g. 'kms:Decrypt'"
                )

    @property
    def sid(self) -> str:
        """The statement id prefix of its grants: `Use` + the resource name in CamelCase (IAM Sid: letters, digits)."""
        return "Use" + "".join(part.capitalize() for part in self.resource.name.split("_"))
