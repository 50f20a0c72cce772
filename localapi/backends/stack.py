"""moto in server mode (a child process: backends/motoserver.py), seeded per region as Terraform would provision it.

One moto server plays AWS for every region (its backends are kept per region): in each region the
table (the route manifest's `table`: keys, stream, TTL attribute; on demand), the replicated secret and the team's
own resources the operations call (the manifest's `calls`: a bus, queue, topic or bucket per region);
in the home region the Cognito user pool with the contract's resource server and scopes, its pre token generation
trigger, the mobile app and operator clients, the groups and a confirmed demo user.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any, Final

import boto3

from localapi.cognitoidp.authorizer import TokenIssuer, issuer
from localapi.cognitoidp.pretoken import TRIGGER_VERSION, Trigger
from localapi.cognitoidp.signin import MOTO_SIGN_IN, AppClient
from localapi.process import ChildProcess

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

TABLE_NAME: Final = "multiregion-api"
SECRET_ID: Final = "multiregion-api/app"
DEMO_USER: Final = "demo"
DEMO_PASSWORD: Final = "Demo-Passw0rd!"


def table_schema(table: Mapping[str, str]) -> dict[str, Any]:
    """CreateTable's arguments for the route manifest's `table` (api/routes.json), as terraform/modules/global
    declares the table (keys, on-demand billing, stream); the tests' moto tables too."""
    keys = (table["partition_key"], "HASH"), (table["sort_key"], "RANGE")
    return {
        "KeySchema": [{"AttributeName": name, "KeyType": kind} for name, kind in keys],
        "AttributeDefinitions": [{"AttributeName": name, "AttributeType": table["key_type"]} for name, _ in keys],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": table["stream_view_type"]},
    }


def table_ttl(table: Mapping[str, str]) -> dict[str, Any]:
    """UpdateTimeToLive's specification for the route manifest's `table`."""
    return {"Enabled": True, "AttributeName": table["ttl_attribute"]}


ACCOUNT_ID: Final = "123456789012"
"""moto's account."""


def _queue(client: Any, name: str, _: str) -> str:
    url = client.create_queue(QueueName=name)["QueueUrl"]
    return str(client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


RESOURCE_CREATORS: Final[dict[str, Callable[[Any, str, str], str]]] = {
    "events": lambda client, name, _: str(client.create_event_bus(Name=name)["EventBusArn"]),
    "sqs": _queue,
}
"""Service (contract/calls.py ResourceType.service) => how moto creates one resource of it and returns its ARN: the
types contract/calls.py exports (the services the handlers' client can call, lambdas/awsservices.py)."""
CREDENTIALS: Final = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class MotoStack:
    """A moto server on 127.0.0.1 (ephemeral port) and the resources each region needs."""

    def __init__(self) -> None:
        self._child: ChildProcess | None = None

    def start(self) -> MotoStack:
        """Start the server (a child process, see localapi/backends/motoserver.py)."""
        self._child = ChildProcess("moto", ["moto"])
        return self

    @property
    def endpoint(self) -> str:
        """The moto endpoint URL."""
        assert self._child is not None, "start() first"
        return self._child.url

    @property
    def port(self) -> int:
        """The moto port."""
        assert self._child is not None, "start() first"
        return self._child.port

    def client(self, service: str, region: str) -> Any:
        """A boto3 client of `service` in `region`, talking to moto directly."""
        return boto3.client(  # type: ignore[call-overload]
            service, region_name=region, endpoint_url=self.endpoint, **CREDENTIALS
        )

    def seed_region(
        self, region: str, secret_value: dict[str, str], table: Mapping[str, str], *, ttl: bool = True
    ) -> None:
        """The regional replica of the manifest's `table` (TTL on unless `ttl` is False: a STRONG table) and of the
        secret."""
        dynamodb = self.client("dynamodb", region)
        dynamodb.create_table(TableName=TABLE_NAME, **table_schema(table))
        if ttl:
            dynamodb.update_time_to_live(TableName=TABLE_NAME, TimeToLiveSpecification=table_ttl(table))
        self.client("secretsmanager", region).create_secret(Name=SECRET_ID, SecretString=json.dumps(secret_value))

    def seed_resources(self, region: str, calls: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        """The team's resources the calls name, created in `region` as Terraform's `resources` would name them
        there; returns the functions' variables (`<NAME>_ARN` => its ARN in moto)."""
        environment: dict[str, str] = {}
        for call in calls:
            if call["environment"] in environment:
                continue
            create = RESOURCE_CREATORS.get(call["service"])
            if create is None:
                raise ValueError(
                    f"resource {call['resource']!r}: localapi creates {', '.join(sorted(RESOURCE_CREATORS))} resources "
                    f"in moto, not {call['service']} ones (localapi/backends/stack.py RESOURCE_CREATORS)"
                )
            name = call["resource"].replace("_", "-")
            environment[call["environment"]] = create(self.client(call["service"], region), name, region)
        return environment

    def seed_cognito(
        self,
        region: str,
        resource_server: dict[str, Any],
        trigger_handler: str | None = None,
        *,
        trigger_contract: str = "",
        allow_user_password_auth: bool = False,
    ) -> TokenIssuer:
        """User pool, resource server with the contract's scopes, both app clients, the groups and the demo user.

        With `trigger_handler` the pool has the pre token generation trigger (V2_0, ESSENTIALS plan) as
        terraform/modules/global/trigger.tf deploys it, running beside `trigger_contract` (the manifest's source of
        its zip's lambdas/contract_types.py: the served API's scopes); without, the pool is like a LITE one:
        InitiateAuth tokens keep aws.cognito.signin.user.admin only."""
        cognito = self.client("cognito-idp", region)
        function_arn = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{TABLE_NAME}-pre-token-generation"
        lambda_config = {"PreTokenGenerationConfig": {"LambdaArn": function_arn, "LambdaVersion": TRIGGER_VERSION}}
        pool_id = cognito.create_user_pool(
            PoolName="multiregion-api-local",
            UserPoolTier="ESSENTIALS" if trigger_handler else "LITE",
            **({"LambdaConfig": lambda_config} if trigger_handler else {}),
        )["UserPool"]["Id"]
        identifier = resource_server.get("identifier", "api")
        names = sorted(resource_server.get("scopes", {}))
        cognito.create_resource_server(
            UserPoolId=pool_id,
            Identifier=identifier,
            Name=identifier,
            Scopes=[{"ScopeName": n, "ScopeDescription": resource_server["scopes"][n][:256]} for n in names],
        )
        sent_as = resource_server["sent_as"]
        scopes = tuple(sent_as[name] for name in names)
        scope_groups = {sent_as[name]: group for name, group in resource_server.get("scope_groups", {}).items()}
        # As terraform/modules/global/cognito.tf: the mobile client grants the end-user scopes only (managed login)
        # and allows SRP and refresh (USER_PASSWORD_AUTH only when opted in); the operator client (with a secret)
        # grants the group scopes.
        flows = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH") + (
            ("ALLOW_USER_PASSWORD_AUTH",) if allow_user_password_auth else ()
        )
        app = self._client(cognito, pool_id, "local-app", tuple(s for s in scopes if s not in scope_groups), flows)
        operator = None
        if scope_groups:
            operator = self._client(cognito, pool_id, "local-operator", tuple(scope_groups), flows, secret=True)
        # Self sign-up on: the deployment where escalation matters most (cognito.allow_self_sign_up = true).
        cognito.update_user_pool(
            UserPoolId=pool_id,
            AdminCreateUserConfig={"AllowAdminCreateUserOnly": False},
            **({"LambdaConfig": lambda_config} if trigger_handler else {}),
        )
        groups = tuple(sorted(set(scope_groups.values())))
        for group in groups:
            cognito.create_group(UserPoolId=pool_id, GroupName=group)
        cognito.admin_create_user(
            UserPoolId=pool_id, Username=DEMO_USER, TemporaryPassword="Temp-" + DEMO_PASSWORD, MessageAction="SUPPRESS"
        )
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=DEMO_USER, Password=DEMO_PASSWORD, Permanent=True)
        trigger = None
        if trigger_handler:
            environment = {"APP_CLIENT_ID": app.client_id, "OPERATOR_CLIENT_ID": operator.client_id if operator else ""}
            environment["LOG_LEVEL"] = "INFO"
            trigger = Trigger(function_arn, trigger_handler, environment, contract_types=trigger_contract)
        return TokenIssuer(
            region=region,
            pool_id=pool_id,
            client_id=app.client_id,
            username=DEMO_USER,
            password=DEMO_PASSWORD,
            scopes=app.allowed_scopes,
            jwks_url=f"{self.endpoint}/{pool_id}/.well-known/jwks.json",
            issuer=issuer(region, pool_id),
            app=app.to_dict(),
            operator=operator.to_dict() if operator else None,
            groups=groups,
            trigger=trigger.to_dict() if trigger else None,
        )

    @staticmethod
    def _client(
        cognito: Any, pool_id: str, name: str, scopes: tuple[str, ...], flows: tuple[str, ...], *, secret: bool = False
    ) -> AppClient:
        created = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=name,
            GenerateSecret=secret,
            # moto's copy also allows the password check the emulation runs (signin.MOTO_SIGN_IN)
            ExplicitAuthFlows=[MOTO_SIGN_IN, *flows],
            AllowedOAuthFlows=["code"],
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthScopes=list(scopes),
            CallbackURLs=["http://localhost/callback"],
            SupportedIdentityProviders=["COGNITO"],
        )["UserPoolClient"]
        return AppClient(created["ClientId"], scopes, flows, created.get("ClientSecret"))

    def stop(self) -> None:
        """Stop the server."""
        if self._child is not None:
            self._child.stop()
            self._child = None


def new_secret_value() -> dict[str, str]:
    """The secret's JSON value (interfaces.md): a fresh cursor HMAC key."""
    return {"cursor_hmac_key": secrets.token_urlsafe(32)}
