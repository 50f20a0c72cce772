"""The AWS services lambdas.awsclient can call: one table, read by the client (protocol, target), lambdas.awsconfig
(endpoint variable) and, at generation time, contract/calls.py (`make swagger` refuses a `Call` to any other service).

Data only, standard library only, nothing at import: contract/ (build time) reads it without importing the client,
its pool or its credentials, and the Lambda zip carries it with the client that needs it. Why here and not in
contract/: the handlers import lambdas only (tests/lambdas/test_imports.py), so the runtime's own fact lives on the
runtime's side and the build reads it from there.

Every entry is the service's botocore model (data/<service>/<version>/service-2.json `metadata`: protocol json,
signingName or endpointPrefix, jsonVersion, targetPrefix, serviceId), compared with botocore's by
tests/lambdas/test_awsclient_botocore.py; its endpoint rules are lambdas/awsconfig.py's, its retry tables
lambdas/awsretries.py's.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Service(NamedTuple):
    """How the client speaks to one service (its botocore model's metadata)."""

    signing_name: str
    json_version: str
    """The AWS JSON protocol version: Content-Type application/x-amz-json-<it>."""
    target_prefix: str
    """X-Amz-Target is `<it>.<Operation>`."""
    service_id: str
    """Names the endpoint variable AWS_ENDPOINT_URL_<SERVICE ID> (upper case, spaces as _)."""
    query_compatible: bool = False
    """The model's `awsQueryCompatible`: the request carries `x-amzn-query-mode: true` (signed, as botocore's
    serializer adds it before signing), and an error's `x-amzn-query-error: <Code>;<Sender|Receiver>` header gives
    its code (Smithy's awsQueryCompatible trait; botocore parsers._do_query_compatible_error_parse)."""


SERVICES: Final = {
    "dynamodb": Service("dynamodb", "1.0", "DynamoDB_20120810", "DynamoDB"),
    "secretsmanager": Service("secretsmanager", "1.1", "secretsmanager", "Secrets Manager"),
    # EventBridge (botocore data/events/2015-10-07): for the calls a team declares (contract/calls.py), e.g. PutEvents.
    "events": Service("events", "1.1", "AWSEvents", "EventBridge"),
    # Amazon SQS (botocore data/sqs/2012-11-05, awsQueryCompatible): SendMessage to a team's own queue.
    "sqs": Service("sqs", "1.0", "AmazonSQS", "SQS", query_compatible=True),
}
PROTOCOL: Final = "the AWS JSON protocol"
"""What the client speaks; a service on another protocol (SNS's query, S3's rest-xml) needs botocore."""


class UnknownServiceError(Exception):
    """A service the client has no entry for: never guessed, never sent to another service's endpoint."""

    def __init__(self, service: str) -> None:
        super().__init__(
            f"lambdas.awsclient cannot call {service!r}: it speaks {PROTOCOL} to {', '.join(sorted(SERVICES))} only "
            "(lambdas/awsservices.py; another JSON-protocol service needs its entry there, its endpoint rule in "
            "lambdas/awsconfig.py and its retry tables in lambdas/awsretries.py)"
        )
        self.service = service


def service_entry(name: str) -> Service:
    """The entry of `name`, or UnknownServiceError naming what the client can call."""
    try:
        return SERVICES[name]
    except KeyError:
        raise UnknownServiceError(name) from None
