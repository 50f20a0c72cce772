"""The DynamoDB global table in STRONG mode (multi-Region strong consistency, MRSC), played locally.

moto has one independent table per region and no MRSC, so each region's DynamoDB calls pass through a
front (one HTTP server per region, in front of moto) that applies what AWS documents for MRSC tables:

- a write returns only once it is applied in the other replicas it can reach ("synchronously replicated
  to at least one other Region before the write operation returns": here every reachable replica, so a
  strongly consistent read anywhere sees it), after the latency table's round trip to the nearest other
  participant (replica or witness): "latencies are higher for write operations and for strongly
  consistent read operations ... based on the round-trip latency between the Region that is being
  accessed and the nearest Region that participates in the global table";
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
facts about MRSC"). Not modelled: eventually consistent reads here are never staler than the replica
(AWS: they "might not even include changes that very recently occurred in the same Region").
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
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
        self._pending: dict[str, list[tuple[dict[str, Any], dict[str, Any] | None]]] = {r: [] for r in regions}
        self.replicated = 0
        """Writes applied to another replica (replicated write request units, one per item and replica)."""
        self.conflicts = 0
        self.refused = 0
        """Writes and strongly consistent reads refused for want of quorum."""
        self._servers = {region: self._serve(region) for region in regions}

    def url(self, region: str) -> str:
        """The endpoint of `region`'s replica (what its Lambdas and the links to it use)."""
        return f"http://{HOST}:{self._servers[region].server_port}"

    def port(self, region: str) -> int:
        """The port of `region`'s front."""
        return int(self._servers[region].server_port)

    def stop(self) -> None:
        """Stop every front."""
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
            self._catching_up.add(region)
        # "when it comes back online later, it will automatically catch up. Until it's caught up, write
        # operations and strongly consistent read operations will return errors." Writes made meanwhile
        # queue behind the missed ones (the region counts as unreachable until the queue is empty).
        while True:
            with self._changed:
                missed, self._pending[region] = self._pending.get(region, []), []
                if not missed:
                    self._catching_up.discard(region)
                    self._changed.notify_all()
                    return
            for keys, image in missed:
                self._apply(region, keys, image)

    def has_quorum(self, region: str) -> bool:
        """Whether `region` can reach a second participant ("a second Region ... available to establish quorum")."""
        if region in self.isolated or region in self._catching_up:
            return False
        return any(other != region and other not in self.isolated for other in self.participants)

    def quorum_ms(self, region: str) -> int:
        """The round trip a write or strongly consistent read in `region` pays: to the nearest other participant."""
        others = [p for p in self.participants if p != region and p not in self.isolated]
        return min((self.round_trip_ms(region, other) for other in others), default=0)

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
        if operation in READS and params.get("ConsistentRead"):
            if not self.has_quorum(region):
                return self._no_quorum(region)
            time.sleep(self.quorum_ms(region) / 1000)
            if operation == "GetItem":  # a write of the item elsewhere is not acknowledged until it is applied here
                with self._changed:
                    key = _key(params)
                    self._changed.wait_for(lambda: self._modifying.get(key) in (None, region), timeout=10)
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
            status, answer_headers, answer = self._forward(region, body, headers)
            if status == 200:
                keys = {name: value for name, value in json.loads(key).items() if value is not None}
                stored = self._dynamodb[region].get_item(TableName=self.table_name, Key=keys, ConsistentRead=True)
                image = stored.get("Item")
                with self._changed:
                    reachable = [
                        r for r in self.regions if r != region and r not in self.isolated and r not in self._catching_up
                    ]
                    for other in self.regions:
                        if other != region and other not in reachable:
                            self._pending[other].append((keys, image))
                for other in reachable:
                    self._apply(other, keys, image)
                replicated = True
                time.sleep(self.quorum_ms(region) / 1000)  # acknowledged after the quorum's round trip
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

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
                sent = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "content-length")}
                try:
                    status, headers, data = table.handle(region, operation, body, sent)
                except Exception:
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


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"__type": NAMESPACE + code, "message": message}).encode()
    return status, {"Content-Type": "application/x-amz-json-1.0"}, body
