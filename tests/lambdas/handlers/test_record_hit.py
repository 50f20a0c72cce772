"""POST /v1/hits: per-region counters that lose nothing to last-writer-wins replication.

moto does not replicate global tables, so `LastWriterWins` plays the replication: it reads every
region's stream and, for each item written anywhere since the last round, copies the version with
the latest write to every region, which is how a global table resolves concurrent writes.
"""

import boto3
import pytest

from lambdas import aws
from lambdas.services import hits

REGIONS = ("us-east-1", "eu-west-1")
IP = "203.0.113.7"
HITS_PER_REGION = 6


class LastWriterWins:
    """Replication between the regions' tables with a global table's conflict rule: last writer wins."""

    def __init__(self, table, regions):
        self.table = table
        self.tables = {region: boto3.client("dynamodb", region_name=region) for region in regions}
        self.streams = {region: boto3.client("dynamodbstreams", region_name=region) for region in regions}
        self.positions = dict.fromkeys(regions)
        for region in regions:
            self._drain(region)  # start from now

    def _drain(self, region):
        streams = self.streams[region]
        arn = self.tables[region].describe_table(TableName=self.table)["Table"]["LatestStreamArn"]
        records = []
        for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            position = self.positions[region]
            if position is None:
                iterator = streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
                )
            else:
                iterator = streams.get_shard_iterator(
                    StreamArn=arn,
                    ShardId=shard["ShardId"],
                    ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                    SequenceNumber=position,
                )
            page = streams.get_records(ShardIterator=iterator["ShardIterator"])
            records.extend(page["Records"])
        if records:
            self.positions[region] = records[-1]["dynamodb"]["SequenceNumber"]
        return records

    def replicate(self):
        """One replication round: every item written since the last round converges to its last write."""
        winners = {}
        for region in self.tables:
            for record in self._drain(region):
                change = record["dynamodb"]
                key = (change["Keys"]["pk"]["S"], change["Keys"]["sk"]["S"])
                candidate = (change["ApproximateCreationDateTime"], region, record)
                if key not in winners or candidate[:2] > winners[key][:2]:
                    winners[key] = candidate
        for _, _, record in winners.values():
            for client in self.tables.values():
                if record["eventName"] == "REMOVE":
                    client.delete_item(TableName=self.table, Key=record["dynamodb"]["Keys"])
                else:
                    client.put_item(TableName=self.table, Item=record["dynamodb"]["NewImage"])
        for region in self.tables:
            self._drain(region)  # the replicated writes themselves are not new writes


@pytest.fixture
def regions(stack, add_region, monkeypatch):
    """The table and secret in both regions, and a way to act as the function of one region."""
    for region in REGIONS[1:]:
        add_region(region)

    def serve_from(region):
        monkeypatch.setenv("AWS_REGION", region)
        aws.reset()

    return serve_from


def test_record_hit_counts_in_the_serving_region(api, stack):
    first = api.call("record_hit")
    second = api.call("record_hit")

    assert first.status == second.status == 200
    assert second.body == {"callerIp": IP, "total": 2, "regions": [{"region": "us-east-1", "count": 2}]}


def test_record_hit_counts_per_caller_ip(api, stack):
    api.call("record_hit", source_ip="198.51.100.1")

    result = api.call("record_hit", source_ip="198.51.100.2")

    assert result.body["callerIp"] == "198.51.100.2"
    assert result.body["total"] == 1


def test_record_hit_concurrent_in_two_regions_loses_nothing_after_replication(api, stack, regions):
    # GIVEN both regions record hits from the same IP before any replication (concurrently)
    replication = LastWriterWins(stack.table_name, REGIONS)
    for _ in range(HITS_PER_REGION):
        for region in REGIONS:
            regions(region)
            api.call("record_hit")

    # WHEN the global table replicates with last writer wins
    replication.replicate()

    # THEN every region sees every hit: 0 lost
    expected = HITS_PER_REGION * len(REGIONS)
    for region in REGIONS:
        counted = hits.count_hits(boto3.client("dynamodb", region_name=region), stack.table_name, IP)
        assert counted["total"] == expected, f"{expected - counted['total']} hits lost in {region}"
        assert counted["regions"] == [{"region": r, "count": HITS_PER_REGION} for r in sorted(REGIONS)]
    # AND the next hit, in either region, counts on top of all of them
    regions("eu-west-1")
    assert api.call("record_hit").body["total"] == expected + 1


def naive_record_hit(client, table, ip):
    """The design we did not choose: one shared counter item that every region increments."""
    client.update_item(
        TableName=table,
        Key={"pk": {"S": f"NAIVE#{ip}"}, "sk": {"S": "TOTAL"}},
        UpdateExpression="ADD #hits :one",
        ExpressionAttributeNames={"#hits": "hits"},
        ExpressionAttributeValues={":one": {"N": "1"}},
    )


def test_record_hit_replication_would_lose_hits_of_a_single_shared_counter(stack, regions):
    # GIVEN the same concurrent hits, counted in one shared item instead
    replication = LastWriterWins(stack.table_name, REGIONS)
    clients = {region: boto3.client("dynamodb", region_name=region) for region in REGIONS}
    for _ in range(HITS_PER_REGION):
        for region in REGIONS:
            naive_record_hit(clients[region], stack.table_name, IP)

    # WHEN replication applies last writer wins
    replication.replicate()

    # THEN one region's increments vanish: the replication fake is strict enough to catch the bug
    key = {"pk": {"S": f"NAIVE#{IP}"}, "sk": {"S": "TOTAL"}}
    for client in clients.values():
        total = int(client.get_item(TableName=stack.table_name, Key=key)["Item"]["hits"]["N"])
        assert total == HITS_PER_REGION  # not HITS_PER_REGION * 2
    assert HITS_PER_REGION * len(REGIONS) - total == HITS_PER_REGION  # lost


def test_record_hit_without_source_ip_is_400(api, stack):
    event = api.event("record_hit")
    event["requestContext"]["identity"]["sourceIp"] = None

    result = api.call("record_hit", event)

    assert result.status == 400


def test_record_hit_without_the_scope_is_403_and_counts_nothing(api, stack):
    result = api.call("record_hit", scopes=["api/items.write"])

    assert result.status == 403
    assert hits.count_hits(stack.dynamodb, stack.table_name, IP)["total"] == 0


CONFORMANCE = {400: lambda api, stack, monkeypatch: api.event("record_hit", source_ip="")}  # no source IP to count
