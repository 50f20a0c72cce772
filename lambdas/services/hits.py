"""Hit counts per caller IP that survive multi-region, last-writer-wins replication.

A global table resolves concurrent writes to one item by last writer wins: with one shared counter,
two regions incrementing it at the same time would each replicate their own total and one side's
hits would vanish. So each region only ever writes its own counter item (ADD), and a read sums the
counters of every region (one Query on the partition). Replication then never has two writers for
one item, and no hit is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from lambdas.contract_types import HitCount, RegionCount

SK_PREFIX: Final = "REGION#"


def partition(caller_ip: str) -> str:
    """The partition key of an IP's counters."""
    return f"HITS#{caller_ip}"


def record_hit(client: DynamoDBClient, table: str, caller_ip: str, region: str) -> HitCount:
    """Count one hit from `caller_ip` in this `region`'s counter, then sum the counters of all regions."""
    pk = partition(caller_ip)
    client.update_item(
        TableName=table,
        Key={"pk": {"S": pk}, "sk": {"S": SK_PREFIX + region}},
        UpdateExpression="ADD #hits :one SET #region = :region",
        ExpressionAttributeNames={"#hits": "hits", "#region": "region"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":region": {"S": region}},
    )
    return count_hits(client, table, caller_ip)


def count_hits(client: DynamoDBClient, table: str, caller_ip: str) -> HitCount:
    """The hits of `caller_ip`: every region's counter (as replicated so far) and their sum."""
    regions: list[RegionCount] = []
    params = {
        "TableName": table,
        "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
        "ExpressionAttributeValues": {":pk": {"S": partition(caller_ip)}, ":prefix": {"S": SK_PREFIX}},
        "ConsistentRead": True,
    }
    while True:
        page = client.query(**params)  # type: ignore[arg-type]
        regions.extend(
            {"region": counter["region"]["S"], "count": int(counter["hits"]["N"])} for counter in page.get("Items", [])
        )
        if "LastEvaluatedKey" not in page:
            break
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    regions.sort(key=lambda entry: entry["region"])
    return {"callerIp": caller_ip, "total": sum(entry["count"] for entry in regions), "regions": regions}
