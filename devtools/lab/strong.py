"""The DynamoDB global table in STRONG mode (multi-Region strong consistency, MRSC), played locally.

moto has one independent table per region and no MRSC, so each region's DynamoDB calls pass through a
front (one HTTP server per region, in front of moto) that applies what AWS documents for MRSC tables:

- a write returns once it is applied in its own replica and in the nearest other participant it can
  reach ("synchronously replicated to at least one other Region before the write operation returns"),
  after the latency table's round trip to that participant: "latencies are higher for write operations
  and for strongly consistent read operations ... based on the round-trip latency between the Region
  that is being accessed and the nearest Region that participates in the global table". A witness holds
  no data, so when it is the nearest, no other replica has the write yet. Every other replica receives
  it asynchronously, the latency table's one-way delay (half its round trip) later, in order per item;
- an eventually consistent read (GetItem, Query, Scan, BatchGetItem without ConsistentRead) sees only what
  has been delivered to its replica: it "might not even include changes that very recently occurred in
  the same Region" (bp-global-table-design), so an item just written elsewhere may be missing;
- a strongly consistent read, and every write's condition, first bring the replica up to date (the item
  for GetItem and writes, every pending change for Query, Scan and BatchGetItem): "strongly consistent
  reads ... always return the latest version of an item", and conditions are evaluated against it;
- a write to an item that another region is modifying fails with ReplicatedWriteConflictException
  (HTTP 400; retryable, nothing written); writes from one region to one item are applied in order;
- a replica without quorum (no second region, replica or witness, reachable) or still catching up
  after an isolation serves eventually consistent reads only: writes and strongly consistent reads
  fail. AWS names no error code; the front answers HTTP 500 InternalServerError, a system error as FIS
  counts its isolation's errors (FaultInjectionServiceInducedErrors is part of SystemErrors);
- TransactWriteItems / TransactGetItems and UpdateTimeToLive are refused (ValidationException): "do
  not support transaction operations, and will return an error", "do not support configuring TTL".

Sources: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-global-table-design.html ("Key
facts about MRSC"). Not modelled: staleness within the writing region (an eventually consistent read
there sees the write at once), replication lag beyond the latency table's one-way figure, and
BatchWriteItem's replication (the kit's handlers send none; it is written in the serving replica only).
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable

LOG = logging.getLogger("localapi.strong")
HOST: Final = "127.0.0.1"
KEY_ATTRIBUTES: Final = ("pk", "sk")
"""The table's key (terraform/modules/global/table.tf)."""
WRITES: Final = frozenset({"PutItem", "UpdateItem", "DeleteItem"})
READS: Final = frozenset({"GetItem", "Query", "Scan", "BatchGetItem"})
REFUSED: Final = {
    "TransactWriteItems": "Transactions are not supported on a multi-Region strongly consistent (MRSC) global table",
    "TransactGetItems": "Transactions are not supported on a multi-Region strongly consistent (MRSC) global table",
    "UpdateTimeToLive": "Time to Live (TTL) is not supported on a multi-Region strongly consistent (MRSC) global table",
}
NAMESPACE: Final = "com.amazonaws.dynamodb.v20120810#"
# MRSC is available in these region sets only, and a table cannot span two (HowItWorks, "MRSC"); the same
# lists as terraform/modules/global/variables.tf.
REGION_SETS: Final = (
    frozenset({"us-east-1", "us-east-2", "us-west-2"}),
    frozenset({"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"}),
    frozenset({"ap-northeast-1", "ap-northeast-2", "ap-northeast-3"}),
)


def check_layout(regions: list[str], witness: str | None) -> None:
    """Refuse what AWS refuses: exactly 3 regions, or 2 and a witness elsewhere, all in one MRSC region set."""
    participants = [*regions, *([witness] if witness else [])]
    if len(participants) != 3 or len(set(participants)) != 3 or len(regions) < 2:
        raise ValueError(
            f"a STRONG (MRSC) table needs exactly 3 regions, or 2 regions and a witness in a third: {participants}"
        )
    if not any(set(participants) <= region_set for region_set in REGION_SETS):
        sets = "; ".join(", ".join(sorted(s)) for s in REGION_SETS)
        raise ValueError(f"a STRONG (MRSC) table needs every region in one region set ({sets}): {participants}")


@dataclass(frozen=True)
class Change:
    """One acknowledged write of one item, on its way to a replica: the item's new image (None: deleted)."""

    key: str
    keys: dict[str, Any]
    image: dict[str, Any] | None
    due: float
    """time.monotonic() when it arrives on its own (the writer's acknowledgement plus the one-way delay)."""


def _key(params: dict[str, Any]) -> str:
    item = params.get("Key") or params.get("Item") or {}
    return json.dumps({name: item.get(name) for name in KEY_ATTRIBUTES}, sort_keys=True)


class StrongTable:
    """The MRSC table over moto: one front per region (`url(region)`), isolation, catch-up, counters."""

    def __init__(
        self,
        regions: list[str],
        witness: str | None,
        table_name: str,
        moto_port: int,
        client: Callable[[str, str], Any],
        round_trip_ms: Callable[[str, str], int],
    ) -> None:
        check_layout(regions, witness)
        self.regions = list(regions)
        self.participants = [*regions, *([witness] if witness else [])]
        self.table_name = table_name
        self.moto_port = moto_port
        self.round_trip_ms = round_trip_ms
        self._dynamodb = {region: client("dynamodb", region) for region in regions}
        self._changed = threading.Condition()
        self._modifying: dict[str, str] = {}
        """item key -> the region whose write of it is being applied and replicated."""
        self.isolated: set[str] = set()
        self._catching_up: set[str] = set()
        self._pending: dict[str, list[Change]] = {r: [] for r in regions}
        """Per replica, the changes not applied there yet, in the order they were acknowledged."""
        self._applying = {region: threading.Lock() for region in regions}
        """Held while changes are applied to a replica, so that they land in order."""
        self._stopped = threading.Event()
        self._enqueued = 0
        """Changes queued so far (wakes the delivery threads)."""
        self._in_flight = 0
        """Changes taken off a queue and not applied yet."""
        self.replicated = 0
        """Writes applied to another replica (replicated write request units, one per item and replica)."""
        self.conflicts = 0
        self.refused = 0
        """Writes and strongly consistent reads refused for want of quorum."""
        self._servers = {region: self._serve(region) for region in regions}
        self._deliveries = [
            threading.Thread(target=self._deliver, args=(region,), name=f"mrsc-to-{region}", daemon=True)
            for region in regions
        ]
        for thread in self._deliveries:
            thread.start()

    def url(self, region: str) -> str:
        """The endpoint of `region`'s replica (what its Lambdas and the links to it use)."""
        return f"http://{HOST}:{self._servers[region].server_port}"

    def port(self, region: str) -> int:
        """The port of `region`'s front."""
        return int(self._servers[region].server_port)

    def stop(self) -> None:
        """Stop every front and the asynchronous replication."""
        self._stopped.set()
        with self._changed:
            self._changed.notify_all()
        for thread in self._deliveries:
            thread.join(5)
        for server in self._servers.values():
            server.shutdown()
            server.server_close()

    def set_isolated(self, region: str, isolated: bool) -> None:
        """Cut a participant off from the others (True), or reconnect it and let it catch up (False)."""
        if region not in self.participants:
            raise ValueError(f"{region} is not a participant of the table: {self.participants}")
        with self._changed:
            if isolated:
                self.isolated.add(region)
                return
            if region not in self.isolated:
                return
            self.isolated.discard(region)
            if region not in self.regions:  # a witness holds no data: nothing to catch up
                return
            self._catching_up.add(region)
        # "when it comes back online later, it will automatically catch up. Until it's caught up, write
        # operations and strongly consistent read operations will return errors." Writes made meanwhile
        # queue behind the missed ones (the region counts as unreachable until the queue is empty).
        while True:
            self.catch_up(region)
            with self._changed:
                if not self._pending[region]:
                    self._catching_up.discard(region)
                    self._changed.notify_all()
                    return

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Wait until every acknowledged write has reached every replica (False if some did not in time).

        It returns as soon as they have: the timeout only bounds a failing wait, generously for a loaded machine.
        """
        with self._changed:
            return self._changed.wait_for(
                lambda: not self._in_flight and not any(self._pending.values()), timeout=timeout
            )

    def lagging(self, region: str) -> list[str]:
        """The replicas that a write acknowledged in `region` now reaches asynchronously only."""
        peer = self._peer(region)
        return [r for r in self.regions if r not in (region, peer)]

    def catch_up(self, region: str, key: str | None = None) -> None:
        """Apply to `region` at once the changes still on their way there (of item `key`, or all), in order."""
        with self._applying[region]:
            with self._changed:
                queue = self._pending[region]
                taken = [change for change in queue if key is None or change.key == key]
                self._pending[region] = [change for change in queue if key is not None and change.key != key]
                self._in_flight += len(taken)
            self._apply_all(region, taken)

    def _deliver(self, region: str) -> None:
        """Apply each change to `region` when it is due, unless the region is cut off (it catches up later)."""
        while not self._stopped.is_set():
            with self._applying[region]:
                with self._changed:
                    seen, now = self._enqueued, time.monotonic()
                    due: list[Change] = []
                    kept: list[Change] = []
                    blocked: set[str] = set()  # an item's change not yet due holds back its later ones
                    for change in self._pending[region]:
                        if region not in self.isolated and change.key not in blocked and change.due <= now:
                            due.append(change)
                        else:
                            kept.append(change)
                            blocked.add(change.key)
                    self._pending[region] = kept
                    self._in_flight += len(due)
                    cut_off = region in self.isolated
                    waits = [change.due - now for change in kept if change.due > now and not cut_off]
                    wait = min(waits, default=1.0)
                try:
                    self._apply_all(region, due)
                except Exception:  # moto stopped under us, or a transient error: the changes stay queued
                    if not self._stopped.is_set():
                        LOG.exception("replicating to %s failed", region)
                    wait = 0.5
                    due = []
            with self._changed:
                if not due:  # until the next change is due, or another is queued
                    self._changed.wait_for(partial(self._woken, seen), wait)

    def _apply_all(self, region: str, changes: list[Change]) -> None:
        """Apply changes taken off `region`'s queue (the caller holds its lock), in order."""
        applied = 0
        try:
            for change in changes:
                self._apply(region, change.keys, change.image)
                applied += 1
        finally:
            with self._changed:
                self._pending[region][:0] = changes[applied:]  # not applied: back at the head, in order
                self._in_flight -= len(changes)
                self._changed.notify_all()

    def _woken(self, enqueued: int) -> bool:
        return self._enqueued != enqueued or self._stopped.is_set()

    def has_quorum(self, region: str) -> bool:
        """Whether `region` can reach a second participant ("a second Region ... available to establish quorum")."""
        if region in self.isolated or region in self._catching_up:
            return False
        return any(other != region and other not in self.isolated for other in self.participants)

    def _peer(self, region: str) -> str | None:
        """The nearest other participant `region` reaches (ties: the first listed), which a write waits for."""
        reachable = [p for p in self.participants if p not in (region, *self.isolated) and p not in self._catching_up]
        return min(reachable, key=lambda other: self.round_trip_ms(region, other), default=None)

    def quorum_ms(self, region: str) -> int:
        """The round trip a write or strongly consistent read in `region` pays: to the nearest other participant."""
        peer = self._peer(region)
        return 0 if peer is None else self.round_trip_ms(region, peer)

    # --- requests ----------------------------------------------------------------------------------------

    def handle(
        self, region: str, operation: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one DynamoDB request sent to `region`'s replica."""
        if operation in REFUSED:
            return _error(400, "ValidationException", REFUSED[operation])
        params: dict[str, Any] = json.loads(body) if body else {}
        if operation in WRITES:
            return self._write(region, operation, params, body, headers)
        if operation in READS and _strongly_consistent(params):
            if not self.has_quorum(region):
                return self._no_quorum(region)
            time.sleep(self.quorum_ms(region) / 1000)
            if operation == "GetItem":  # the latest version: a write of the item under way elsewhere first
                key = _key(params)
                with self._changed:
                    self._changed.wait_for(lambda: self._modifying.get(key) in (None, region), timeout=10)
                self.catch_up(region, key)
            else:
                self.catch_up(region)
        elif operation == "BatchWriteItem" and not self.has_quorum(region):  # not used by the kit's handlers
            return self._no_quorum(region)
        return self._forward(region, body, headers)

    def _no_quorum(self, region: str) -> tuple[int, dict[str, str], bytes]:
        self.refused += 1
        return _error(500, "InternalServerError", f"The replica in {region} cannot reach a quorum of the global table")

    def _write(
        self, region: str, operation: str, params: dict[str, Any], body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        if not self.has_quorum(region):
            return self._no_quorum(region)
        key = _key(params)
        with self._changed:
            while (owner := self._modifying.get(key)) is not None:
                if owner != region:
                    self.conflicts += 1
                    return _error(
                        400,
                        "ReplicatedWriteConflictException",
                        "One or more items in this request are being modified by a request in another Region.",
                    )
                self._changed.wait()
            self._modifying[key] = region
        replicated = False
        try:
            self.catch_up(region, key)  # the condition is evaluated against the latest version
            status, answer_headers, answer = self._forward(region, body, headers)
            if status == 200:
                keys = {name: value for name, value in json.loads(key).items() if value is not None}
                stored = self._dynamodb[region].get_item(TableName=self.table_name, Key=keys, ConsistentRead=True)
                image = stored.get("Item")
                peer, round_trip = self._peer(region), self.quorum_ms(region) / 1000
                with self._changed:  # queued before it is acknowledged: a strong read anywhere then finds it
                    acknowledged = time.monotonic() + round_trip
                    for other in self.regions:
                        if other != region:  # the rest arrive the one-way delay after the acknowledgement
                            due = acknowledged + self.round_trip_ms(region, other) / 2000
                            self._pending[other].append(Change(key, keys, image, due))
                    self._enqueued += 1
                    self._changed.notify_all()
                time.sleep(round_trip)  # acknowledged after the quorum's round trip
                if peer in self.regions:  # the synchronous copy (a witness takes none: it holds no data)
                    self.catch_up(peer, key)
                replicated = True
        finally:
            with self._changed:
                del self._modifying[key]
                self._changed.notify_all()
        if not replicated:  # a refused condition is evaluated against the latest version too: the same round trip
            time.sleep(self.quorum_ms(region) / 1000)
        return status, answer_headers, answer

    def _apply(self, region: str, keys: dict[str, Any], image: dict[str, Any] | None) -> None:
        dynamodb = self._dynamodb[region]
        if image is None:
            dynamodb.delete_item(TableName=self.table_name, Key=keys)
        else:
            dynamodb.put_item(TableName=self.table_name, Item=image)
        with self._changed:  # several delivery threads count
            self.replicated += 1

    def _forward(self, region: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(HOST, self.moto_port, timeout=30)
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            kept = {k: v for k, v in response.getheaders() if k.lower() not in ("connection", "transfer-encoding")}
            return response.status, kept, data
        finally:
            connection.close()

    def _serve(self, region: str) -> ThreadingHTTPServer:
        table = self

        class Front(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
                sent = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "content-length")}
                try:
                    status, headers, data = table.handle(region, operation, body, sent)
                except Exception:
                    if not table._stopped.is_set():  # moto may be going away once stop() was asked
                        LOG.exception("the %s replica failed %s", region, operation)
                    status, headers, data = _error(500, "InternalServerError", "local MRSC model error")
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer((HOST, 0), Front, bind_and_activate=False)
        server.daemon_threads = True
        server.request_queue_size = 128  # bursts of concurrent writers (socketserver's default backlog is 5)
        server.server_bind()
        server.server_activate()
        threading.Thread(target=server.serve_forever, name=f"mrsc-{region}", daemon=True).start()
        return server


def _strongly_consistent(params: dict[str, Any]) -> bool:
    """ConsistentRead on the request (GetItem, Query, Scan) or on any of BatchGetItem's tables."""
    tables = params.get("RequestItems") or {}
    return bool(params.get("ConsistentRead")) or any(spec.get("ConsistentRead") for spec in tables.values())


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"__type": NAMESPACE + code, "message": message}).encode()
    return status, {"Content-Type": "application/x-amz-json-1.0"}, body
