"""The DynamoDB global table, played locally: each region's stream applied to the others, last writer wins.

moto accepts replicas but replicates nothing, so this reads every region's table stream
(NEW_AND_OLD_IMAGES) and writes each change into the other regions. Conflicts resolve as global
tables resolve them: per item, the write with the latest timestamp wins everywhere (ties: the
greater region name), so all regions converge on the same item whatever the order of arrival.

Bookkeeping, per item key: the winning version (timestamp, region, image); and the writes this
replicator made itself and has not yet seen come back through the target's stream ("echoes"), which
it must not replicate again. A local write that loses to a newer version from elsewhere is
overwritten by the winner in its own region; a local write that wins while a replicated (older) write
to the same region is still in flight is written back there, since the in-flight write landed after.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable

LOG = logging.getLogger("localapi.replicator")
POLL_SECONDS: Final = 0.1
IDLE_TIMEOUT_SECONDS: Final = 60.0
"""How long `wait_idle` waits before it reports failure. It returns as soon as replication is idle, so this only
bounds a failing wait: a new Replicator replays each stream from its start, and on a loaded CI machine a test
module's history took 3 s of the 10 s this once was."""
DELETED: Final = "null"


@dataclass(frozen=True)
class Version:
    """One write of one item: when, where, and the new image (None for a delete)."""

    timestamp_ms: int
    region: str
    image: dict[str, Any] | None

    def beats(self, other: Version) -> bool:
        """Last writer wins; equal timestamps: the greater region name wins."""
        return (self.timestamp_ms, self.region) >= (other.timestamp_ms, other.region)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class Replicator:
    """Replicates one table between regions. `client(service, region)` gives boto3 clients (to moto directly)."""

    def __init__(
        self, regions: list[str], table_name: str, client: Callable[[str, str], Any], poll_seconds: float = POLL_SECONDS
    ) -> None:
        self.regions = list(regions)
        self.table_name = table_name
        self.poll_seconds = poll_seconds
        self._dynamodb = {region: client("dynamodb", region) for region in self.regions}
        self._streams = {region: client("dynamodbstreams", region) for region in self.regions}
        self._lock = threading.Lock()
        self._winners: dict[str, Version] = {}
        self._echoes: dict[tuple[str, str], list[str]] = {}
        self._empty_polls = dict.fromkeys(self.regions, 0)
        self._idle = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.applied = 0
        self.conflicts = 0

    def start(self) -> Replicator:
        """Follow every region's stream from its start."""
        for region in self.regions:
            iterator = self._first_iterator(region)
            thread = threading.Thread(target=self._follow, args=(region, iterator), name=f"replicator-{region}")
            thread.daemon = True
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop following (bounded wait)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(5)

    def wait_idle(self, timeout: float = IDLE_TIMEOUT_SECONDS) -> bool:
        """Wait until every stream has been read to its end twice since the call (all writes applied)."""
        with self._idle:
            start = dict(self._empty_polls)
            return self._idle.wait_for(
                lambda: all(self._empty_polls[r] >= start[r] + 2 for r in self.regions), timeout=timeout
            )

    def _first_iterator(self, region: str) -> str:
        table = self._dynamodb[region].describe_table(TableName=self.table_name)["Table"]
        stream_arn = table["LatestStreamArn"]
        streams = self._streams[region]
        shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
        return str(
            streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
                "ShardIterator"
            ]
        )

    def _follow(self, region: str, iterator: str) -> None:
        streams = self._streams[region]
        while not self._stop.is_set():
            try:
                page = streams.get_records(ShardIterator=iterator, Limit=1000)
            except Exception:  # moto stopped under us, or a transient error: retry until stopped
                if not self._stop.wait(0.5):  # a failure once stop() was asked is expected: not reported
                    LOG.exception("reading the %s stream failed", region)
                continue
            iterator = page.get("NextShardIterator") or iterator
            records = page.get("Records", [])
            for record in records:
                try:
                    self._process(region, record)
                except Exception:
                    if not self._stop.is_set():  # after stop() moto may go at any moment: expected
                        LOG.exception("replicating a %s record failed", region)
            if not records:
                with self._idle:
                    self._empty_polls[region] += 1
                    self._idle.notify_all()
                self._stop.wait(self.poll_seconds)

    def _process(self, region: str, record: dict[str, Any]) -> None:
        change = record["dynamodb"]
        keys = change["Keys"]
        key = _canonical(keys)
        image = change.get("NewImage") if record["eventName"] != "REMOVE" else None
        signature = _canonical(image) if image is not None else DELETED
        with self._lock:
            echoes = self._echoes.get((region, key))
            if echoes and signature in echoes:
                echoes.remove(signature)
                if not echoes:
                    del self._echoes[(region, key)]
                return
            created = change.get("ApproximateCreationDateTime")
            timestamp = int(created.timestamp() * 1000) if created is not None else int(time.time() * 1000)
            version = Version(timestamp, region, image)
            current = self._winners.get(key)
            in_flight = bool(self._echoes.get((region, key)))
            if current is None or version.beats(current):
                self._winners[key] = version
                targets = [r for r in self.regions if r != region or in_flight]
            else:
                self.conflicts += 1
                LOG.info("conflict on %s: %s write lost to %s", key, region, current.region)
                targets = [region]
            winner = self._winners[key]
            for target in targets:
                self._apply(target, keys, winner.image)

    def _apply(self, region: str, keys: dict[str, Any], image: dict[str, Any] | None) -> None:
        key = _canonical(keys)
        dynamodb = self._dynamodb[region]
        if image is None:
            old = dynamodb.delete_item(TableName=self.table_name, Key=keys, ReturnValues="ALL_OLD")
            if old.get("Attributes"):
                self._echoes.setdefault((region, key), []).append(DELETED)
        else:
            dynamodb.put_item(TableName=self.table_name, Item=image)
            self._echoes.setdefault((region, key), []).append(_canonical(image))
        self.applied += 1
