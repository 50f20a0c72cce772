"""POST /v1/items."""

import pytest

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
