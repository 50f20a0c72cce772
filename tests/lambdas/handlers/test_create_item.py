"""POST /v1/items."""

import pytest

from lambdas import aws

COFFEE = {"name": "Coffee", "quantity": 2, "note": "oat milk"}


def items_of(stack, sub):
    return stack.dynamodb.query(
        TableName=stack.table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :item)",
        ExpressionAttributeValues={":pk": {"S": f"USER#{sub}"}, ":item": {"S": "ITEM#"}},
    )["Items"]


def test_create_item_is_201_recording_region_and_time(api, stack):
    result = api.call("create_item", body=COFFEE)

    assert result.status == 201
    assert result.body["region"] == "us-east-1"
    assert result.body["name"] == "Coffee"
    assert result.body["quantity"] == 2
    assert result.body["note"] == "oat milk"
    assert result.body["createdAt"].endswith("Z")
    assert [item["itemId"]["S"] for item in items_of(stack, api.sub)] == [result.body["itemId"]]


def test_create_item_defaults_quantity_to_1_and_reads_null_note_as_absent(api, stack):
    result = api.call("create_item", body={"name": "Tea", "note": None})

    assert result.body["quantity"] == 1
    assert "note" not in result.body


def test_create_item_in_another_region_records_that_region(api, stack, add_region, monkeypatch):
    add_region("eu-west-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")

    result = api.call("create_item", body=COFFEE)

    assert result.body["region"] == "eu-west-1"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 1}, "body.name"),
        ({"name": ""}, "body.name"),
        ({"name": "x" * 101}, "body.name"),
        ({"name": "Tea", "quantity": 0}, "body.quantity"),
        ({"name": "Tea", "quantity": 1001}, "body.quantity"),
        ({"name": "Tea", "quantity": 1.5}, "body.quantity"),
        ({"name": "Tea", "note": "x" * 501}, "body.note"),
        ({"name": "Tea", "owner": "someone-else"}, "body.owner"),
        ({"name": "Tea", "region": "us-west-2"}, "body.region"),
        ("Tea", "body"),
    ],
)
def test_create_item_bad_body_is_400_naming_the_field_and_writes_nothing(api, stack, body, field):
    result = api.call("create_item", body=body)

    assert result.status == 400
    assert result.body["field"] == field
    assert items_of(stack, api.sub) == []


def test_create_item_without_the_write_scope_is_403(api, stack):
    result = api.call("create_item", body=COFFEE, scopes=["api/items.read"])

    assert result.status == 403
    assert items_of(stack, api.sub) == []


KEY = {"Idempotency-Key": "0b7c6a52-6a3e-4c53-9d2b-1f5e0c8a9d11"}


def test_create_item_retried_with_its_idempotency_key_returns_the_first_item_and_writes_nothing(api, stack):
    first = api.call("create_item", body=COFFEE, headers=KEY)
    retry = api.call("create_item", body=COFFEE, headers={"idempotency-key": KEY["Idempotency-Key"]})

    assert (first.status, retry.status) == (201, 201)
    assert retry.body == first.body
    assert [item["itemId"]["S"] for item in items_of(stack, api.sub)] == [first.body["itemId"]]


def test_create_item_idempotency_key_reused_with_another_body_is_409_and_writes_nothing(api, stack):
    first = api.call("create_item", body=COFFEE, headers=KEY)
    other = api.call("create_item", body={"name": "Tea"}, headers=KEY)

    assert other.status == 409
    assert other.body["field"] == "header.Idempotency-Key"
    assert [item["itemId"]["S"] for item in items_of(stack, api.sub)] == [first.body["itemId"]]


def test_create_item_retry_in_another_region_finds_the_key_in_the_callers_home(api, stack, add_region, monkeypatch):
    # GIVEN the caller is homed in us-east-1 (its first keyed create was served there)
    eu = add_region("eu-west-1")
    monkeypatch.setenv("HOME_REGION", "us-east-1")
    first = api.call("create_item", body=COFFEE, headers=KEY)
    # WHEN the retry lands in eu-west-1 (nothing replicated there: moto has no replication)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    aws.reset()
    retry = api.call("create_item", body=COFFEE, headers=KEY)

    # THEN it is answered from the home region's record: same item, no second one; eu-west-1 keeps a copy of it
    assert retry.body == first.body
    assert len(items_of(stack, api.sub)) == 1
    copies = [item["itemId"]["S"] for item in eu.scan(TableName=stack.table_name)["Items"]]
    assert copies == [first.body["itemId"]]


def test_create_item_keyed_away_from_home_is_readable_where_it_was_answered(api, stack, add_region, monkeypatch):
    # GIVEN a caller homed in us-east-1 (its first account write was served there)
    add_region("eu-west-1")
    monkeypatch.setenv("HOME_REGION", "us-east-1")
    api.call("put_my_account", body={"displayName": "Ada", "locale": "en-GB", "version": 0})
    # WHEN eu-west-1 answers a keyed create (record and item in the home replica)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    aws.reset()
    created = api.call("create_item", body=COFFEE, headers=KEY)
    # THEN eu-west-1 reads it at once, before any replication
    assert created.status == 201
    read = api.call("get_item", path={"itemId": created.body["itemId"]})
    assert (read.status, read.body) == (200, created.body)


def test_create_item_keyed_first_write_homes_the_caller_where_served(api, stack, add_region, monkeypatch):
    eu = add_region("eu-west-1")
    monkeypatch.setenv("HOME_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    aws.reset()

    api.call("create_item", body=COFFEE, headers=KEY)

    assert items_of(stack, api.sub) == []  # written in eu-west-1's replica: the caller's home is eu-west-1
    assert (
        len(eu.scan(TableName=stack.table_name)["Items"]) == 2
    )  # the item and its key's record; the home is claimed in us-east-1
    home = stack.dynamodb.get_item(
        TableName=stack.table_name, Key={"pk": {"S": f"USER#{api.sub}"}, "sk": {"S": "HOME"}}
    )
    assert home["Item"]["home"] == {"S": "eu-west-1"}


@pytest.mark.parametrize("key", ["short", "x" * 65, "has space!"])
def test_create_item_malformed_idempotency_key_is_400_naming_the_header(api, stack, key):
    result = api.call("create_item", body=COFFEE, headers={"Idempotency-Key": key})

    assert result.status == 400
    assert result.body["field"] == "header.Idempotency-Key"
    assert items_of(stack, api.sub) == []


def test_create_item_with_a_key_while_the_home_region_is_unreachable_is_503_with_retry_after(api, stack, monkeypatch):
    monkeypatch.setenv("HOME_REGION", "eu-west-1")
    monkeypatch.setenv("DYNAMODB_ENDPOINT_EU_WEST_1", "http://127.0.0.1:9")  # nothing listens there
    aws.reset()

    result = api.call("create_item", body=COFFEE, headers=KEY)

    assert result.status == 503
    assert result.headers["Retry-After"] == "2"
    assert items_of(stack, api.sub) == []


@pytest.fixture
def strong(monkeypatch):
    """A STRONG (MRSC) table, as Terraform sets TABLE_CONSISTENCY; the home region elsewhere and unreachable,
    so any cross-region call would fail (there must be none)."""
    monkeypatch.setenv("TABLE_CONSISTENCY", "STRONG")
    monkeypatch.setenv("HOME_REGION", "eu-west-1")
    monkeypatch.setenv("DYNAMODB_ENDPOINT_EU_WEST_1", "http://127.0.0.1:9")  # nothing listens there
    aws.reset()


def record_of(stack, sub):
    return stack.dynamodb.get_item(
        TableName=stack.table_name,
        Key={"pk": {"S": f"IDEMPOTENCY#{sub}"}, "sk": {"S": f"KEY#{KEY['Idempotency-Key']}"}},
        ConsistentRead=True,
    ).get("Item")


def test_create_item_strong_retry_returns_the_first_item_in_this_region_without_ttl(api, stack, strong):
    first = api.call("create_item", body=COFFEE, headers=KEY)
    retry = api.call("create_item", body=COFFEE, headers=KEY)

    assert (first.status, retry.status) == (201, 201)
    assert retry.body == first.body
    assert [item["itemId"]["S"] for item in items_of(stack, api.sub)] == [first.body["itemId"]]
    record = record_of(stack, api.sub)
    assert record["item"]["M"]["itemId"]["S"] == first.body["itemId"]
    assert "expires_at" not in record  # no TTL on MRSC: records are kept


def test_create_item_strong_retry_finishes_a_create_that_stopped_after_its_record(api, stack, strong):
    # GIVEN a first attempt that wrote the key's record and then stopped (the Lambda timed out)
    first = api.call("create_item", body=COFFEE, headers=KEY)
    stack.dynamodb.delete_item(
        TableName=stack.table_name, Key={"pk": {"S": f"USER#{api.sub}"}, "sk": {"S": f"ITEM#{first.body['itemId']}"}}
    )
    # WHEN the client retries with the same key and body
    retry = api.call("create_item", body=COFFEE, headers=KEY)
    # THEN the retry writes the record's item (the one the first attempt chose) and returns it
    assert (retry.status, retry.body) == (201, first.body)
    assert [item["itemId"]["S"] for item in items_of(stack, api.sub)] == [first.body["itemId"]]


def test_create_item_strong_key_reused_with_another_body_is_409_and_writes_nothing(api, stack, strong):
    first = api.call("create_item", body=COFFEE, headers=KEY)
    other = api.call("create_item", body={"name": "Tea"}, headers=KEY)

    assert (other.status, other.body["field"]) == (409, "header.Idempotency-Key")
    assert [item["itemId"]["S"] for item in items_of(stack, api.sub)] == [first.body["itemId"]]


def _conflicting_key(api, stack, monkeypatch):
    # one Idempotency-Key, two different bodies
    api.call("create_item", body={"name": "Coffee"}, headers=KEY)
    return api.event("create_item", body={"name": "Tea"}, headers=KEY)


CONFORMANCE = {
    201: lambda api, stack, monkeypatch: api.event("create_item", body={"name": "Coffee"}, headers=KEY),
    409: _conflicting_key,
}
