"""GET /v1/items: newest first, signed cursors bound to the caller."""

import base64

import pytest


def create(api, count, sub=None):
    return [
        api.call("create_item", sub=sub or api.sub, body={"name": f"item {n}"}).body["itemId"] for n in range(count)
    ]


def test_list_items_is_newest_first_and_pages_with_a_cursor(api, stack):
    created = create(api, 5)

    first = api.call("list_items", query={"limit": "2"})
    second = api.call("list_items", query={"limit": "2", "cursor": first.body["nextCursor"]})
    third = api.call("list_items", query={"limit": "2", "cursor": second.body["nextCursor"]})

    pages = [first.body["items"], second.body["items"], third.body["items"]]
    assert [item["itemId"] for page in pages for item in page] == sorted(created, reverse=True)
    assert "nextCursor" not in third.body


def test_list_items_last_full_page_has_no_cursor(api, stack):
    create(api, 2)

    result = api.call("list_items", query={"limit": "2"})

    assert len(result.body["items"]) == 2
    assert "nextCursor" not in result.body


def test_list_items_default_limit_is_20(api, stack):
    create(api, 21)

    result = api.call("list_items", query={})

    assert len(result.body["items"]) == 20
    assert "nextCursor" in result.body


def test_list_items_only_lists_the_callers_items(api, stack):
    mine = create(api, 2)
    create(api, 3, sub=api.other_sub)

    result = api.call("list_items")

    assert sorted(item["itemId"] for item in result.body["items"]) == sorted(mine)


def test_list_items_empty_is_an_empty_page(api, stack):
    result = api.call("list_items")

    assert result.body == {"items": []}


def tamper(cursor):
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[3] ^= 0x01  # move the position by one bit, keep the signature
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_list_items_tampered_cursor_is_400_naming_the_cursor(api, stack):
    create(api, 3)
    cursor = api.call("list_items", query={"limit": "1"}).body["nextCursor"]

    result = api.call("list_items", query={"limit": "1", "cursor": tamper(cursor)})

    assert result.status == 400
    assert result.body["field"] == "query.cursor"


@pytest.mark.parametrize("cursor", ["", "not-a-cursor", "!!!", "AQ", "A" * 1024])
def test_list_items_forged_cursor_is_400_naming_the_cursor(api, stack, cursor):
    result = api.call("list_items", query={"cursor": cursor})

    assert result.status == 400
    assert result.body["field"] == "query.cursor"


def test_list_items_cursor_of_another_caller_is_400(api, stack):
    # GIVEN another caller's valid cursor
    create(api, 3, sub=api.other_sub)
    theirs = api.call("list_items", sub=api.other_sub, query={"limit": "1"}).body["nextCursor"]

    # WHEN the caller replays it
    result = api.call("list_items", query={"limit": "1", "cursor": theirs})

    # THEN it is refused: a cursor is bound to the caller it was issued to
    assert result.status == 400
    assert result.body["field"] == "query.cursor"


def test_list_items_cursor_signed_with_another_key_is_400(api, stack):
    from lambdas.services import cursors

    forged = cursors.encode(b"guessed-key", "items", api.sub, bytes(16))

    result = api.call("list_items", query={"cursor": forged})

    assert result.status == 400
    assert result.body["field"] == "query.cursor"


def test_list_items_cursor_longer_than_1024_is_400(api, stack):
    result = api.call("list_items", query={"cursor": "A" * 1025})

    assert result.status == 400
    assert result.body["field"] == "query.cursor"


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5", "", " 5", "1e2"])
def test_list_items_bad_limit_is_400_naming_the_limit(api, stack, limit):
    result = api.call("list_items", query={"limit": limit})

    assert result.status == 400
    assert result.body["field"] == "query.limit"


def test_list_items_unknown_query_parameters_are_ignored(api, stack):
    result = api.call("list_items", query={"_": "1732354242"})

    assert result.status == 200


def test_list_items_reads_the_secret_once_per_ttl(api, stack):
    from lambdas import aws

    create(api, 1)
    api.call("list_items")
    aws.secretsmanager().delete_secret(SecretId=stack.secret_id, ForceDeleteWithoutRecovery=True)

    result = api.call("list_items")

    assert result.status == 200


def test_list_items_without_the_secret_is_500_without_internals(api, stack):
    from lambdas import aws

    aws.secretsmanager().delete_secret(SecretId=stack.secret_id, ForceDeleteWithoutRecovery=True)

    result = api.call("list_items")

    assert result.status == 500
    assert "secret" not in result.body["message"].lower()


def test_list_items_without_the_read_scope_is_403(api, stack):
    result = api.call("list_items", scopes=["api/items.write"])

    assert result.status == 403


def rotate(stack, value):
    # What a bump of secret.value_version does: a new AWSCURRENT, the old value becomes AWSPREVIOUS.
    import json

    from lambdas import aws

    aws.secretsmanager().put_secret_value(SecretId=stack.secret_id, SecretString=json.dumps({"cursor_hmac_key": value}))


def test_list_items_cursor_survives_a_key_rotation(api, stack):
    from lambdas import aws

    create(api, 3)
    first = api.call("list_items", query={"limit": "1"})
    rotate(stack, "r" * 64)
    aws.secrets.clear()  # this container has read the new key

    second = api.call("list_items", query={"limit": "1", "cursor": first.body["nextCursor"]})

    assert second.status == 200
    assert len(second.body["items"]) == 1


def signed_with_a_newer_key(api, stack, value):
    # Another container has read the rotated key and signed the next cursor with it.
    from lambdas import aws
    from lambdas.services import cursors
    from lambdas.services.items import CURSOR_PURPOSE

    cursor = api.call("list_items", query={"limit": "1"}).body["nextCursor"]  # caches the current key
    current = aws.secrets.get(aws.secretsmanager(), stack.secret_id)["cursor_hmac_key"].encode()
    position = cursors.decode((current,), CURSOR_PURPOSE, api.sub, cursor)
    rotate(stack, value)
    return cursors.encode(value.encode(), CURSOR_PURPOSE, api.sub, position)


def test_list_items_cursor_signed_with_a_key_not_read_yet_is_accepted(api, stack, monkeypatch):
    import time

    from lambdas import aws

    create(api, 3)
    newer = signed_with_a_newer_key(api, stack, "r" * 64)
    later = time.monotonic() + 20  # the cached keys are older than the refresh window, younger than the TTL
    monkeypatch.setattr(aws.secrets, "clock", lambda: later)

    result = api.call("list_items", query={"limit": "1", "cursor": newer})

    assert result.status == 200


def test_list_items_unknown_cursor_does_not_re_read_fresh_keys(api, stack):
    # Within the refresh window a cursor no cached key accepts is refused without a new read.
    create(api, 3)
    newer = signed_with_a_newer_key(api, stack, "r" * 64)

    result = api.call("list_items", query={"limit": "1", "cursor": newer})

    assert result.status == 400


def test_list_items_cursor_signed_two_rotations_ago_is_refused(api, stack):
    from lambdas import aws

    create(api, 3)
    first = api.call("list_items", query={"limit": "1"})
    rotate(stack, "r" * 64)
    rotate(stack, "s" * 64)
    aws.secrets.clear()

    result = api.call("list_items", query={"limit": "1", "cursor": first.body["nextCursor"]})

    assert result.status == 400
    assert result.body["field"] == "query.cursor"


def _three_items(api, stack, monkeypatch):
    for name in ("a", "b", "c"):
        api.call("create_item", body={"name": name, "note": "n"})
    return api.event("list_items", query={"limit": "2"})


CONFORMANCE = {200: _three_items}
