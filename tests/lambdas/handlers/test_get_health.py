"""GET /health: what Route 53 probes."""

from lambdas import aws


def checks(result):
    return {check["name"]: check["ok"] for check in result.body["checks"]}


def test_get_health_is_200_when_table_and_secret_answer(api, stack):
    result = api.call("get_health")

    assert result.status == 200
    assert result.body["status"] == "ok"
    assert result.body["region"] == "us-east-1"
    assert checks(result) == {"table": True, "secret": True}


def test_get_health_is_503_naming_the_table_when_it_is_gone(api, stack):
    stack.dynamodb.delete_table(TableName=stack.table_name)

    result = api.call("get_health")

    assert result.status == 503
    assert result.body["status"] == "degraded"
    assert checks(result) == {"table": False, "secret": True}


def test_get_health_is_503_naming_the_secret_when_it_is_gone(api, stack):
    from lambdas import aws

    aws.health_secretsmanager().delete_secret(SecretId=stack.secret_id, ForceDeleteWithoutRecovery=True)

    result = api.call("get_health")

    assert result.status == 503
    assert checks(result) == {"table": True, "secret": False}


def test_get_health_needs_no_identity(api, stack):
    result = api.call("get_health", sub=None)

    assert result.status == 200


def test_get_health_without_configuration_is_500(api, stack, monkeypatch):
    monkeypatch.delenv("TABLE_NAME")

    result = api.call("get_health")

    assert result.status == 500
    assert "TABLE_NAME" not in result.body["message"]


def test_get_health_clients_answer_within_the_deadline_and_do_not_retry(api, stack):
    # Not 1 s: a loaded but healthy region answered 503 (issue 20, finding 3); one try still fits the deadline.
    from lambdas import aws
    from lambdas.services.health import DEADLINE_SECONDS

    client = aws.health_dynamodb()

    assert 1 < client.connect_timeout and 1 < client.read_timeout <= DEADLINE_SECONDS
    assert client.max_attempts == 1


def test_get_health_is_503_naming_the_secret_when_it_has_no_value(api, stack):
    # secret.generate_value = false and nothing set yet: the secret exists, list_items would fail.
    from lambdas import aws

    client = aws.health_secretsmanager()
    client.delete_secret(SecretId=stack.secret_id, ForceDeleteWithoutRecovery=True)
    client.create_secret(Name=stack.secret_id)

    result = api.call("get_health")

    assert result.status == 503
    assert checks(result) == {"table": True, "secret": False}


def test_get_health_is_503_naming_the_secret_when_its_value_is_malformed(api, stack):
    from lambdas import aws

    aws.health_secretsmanager().put_secret_value(SecretId=stack.secret_id, SecretString='{"other": "x"}')

    result = api.call("get_health")

    assert result.status == 503
    assert checks(result) == {"table": True, "secret": False}
    assert "other" not in str(result.body)


def test_get_health_sends_the_security_headers_the_gateway_responses_send(api, stack):
    from contract.apigateway import SECURITY_HEADERS

    result = api.call("get_health")

    assert {name: result.headers[name] for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert result.headers["X-Request-Id"]


def _misconfigured(api, stack, monkeypatch):
    event = api.event("get_health")
    monkeypatch.delenv("SECRET_ID")  # health reports its dependencies: break its configuration, not the table
    aws.reset()
    return event


def _table_gone(api, stack, monkeypatch):
    stack.dynamodb.delete_table(TableName=stack.table_name)
    return api.event("get_health")


CONFORMANCE = {500: _misconfigured, 503: _table_gone}
