"""moto in server mode, in its own process (`python -m localapi moto`), with DynamoDB made atomic.

Own process: moto keeps its state in module globals, so two local APIs (or a test and a local API)
in one process would share tables; a child process each keeps them apart, and keeps moto's CPU
work off the router's interpreter.

Atomic DynamoDB: real DynamoDB applies a write to an item atomically and emits one stream record per
write. moto 5.2.5 does neither for UpdateItem on a new item: it first stores a keys-only item (and
streams it as an INSERT), then mutates that item attribute by attribute while other request threads
may read it. Under concurrent traffic a reader (or the replicator, through the stream) then sees
items that never existed, e.g. a hit counter without its `hits`. So here every DynamoDB and DynamoDB
Streams request runs under one lock, and the keys-only intermediate record of an UpdateItem is
replaced by the final one (same sequence number).

Cancelled transactions: moto 5.2.5 rolls a cancelled TransactWriteItems back by putting a deep copy of
the table in its place, stream shard included, so every open shard iterator (the replicator's) then
reads a shard nobody writes to any more, and the records of the transaction's writes made before the
failing condition stay in the stream. DynamoDB writes nothing and streams nothing for a cancelled
transaction (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html),
so here the restored table keeps the original shard, minus those records. Nothing else of moto changes.
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

from localapi.process import announce_ready, stop_on_signals, wait_for_stop, watch_parent

_LOCK = threading.RLock()


def _patch_update_item() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.update_item
    if getattr(original, "_localapi", False):
        return

    @functools.wraps(original)
    def update_item(self: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
        shard = self.get_table(table_name).stream_shard
        before = len(shard.items) if shard is not None else 0
        result = original(self, table_name, *args, **kwargs)
        if shard is not None and len(shard.items) - before == 2:
            intermediate, final = shard.items[before], shard.items[before + 1]
            final.record["dynamodb"]["SequenceNumber"] = intermediate.record["dynamodb"]["SequenceNumber"]
            shard.items[before] = final
            shard.items.pop()
        return result

    update_item._localapi = True  # type: ignore[attr-defined]
    DynamoDBBackend.update_item = update_item  # type: ignore[method-assign]


def _patch_transact_write_items() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items
    if getattr(original, "_localapi", False):
        return

    @functools.wraps(original)
    def transact_write_items(self: Any, *args: Any, **kwargs: Any) -> Any:
        shards = {
            name: (table.stream_shard, len(table.stream_shard.items))
            for name, table in self.tables.items()
            if table.stream_shard is not None
        }
        try:
            return original(self, *args, **kwargs)
        except Exception:
            for name, (shard, length) in shards.items():
                restored = self.tables.get(name)
                if restored is not None and restored.stream_shard is not shard:
                    del shard.items[length:]
                    shard.table = restored
                    restored.stream_shard = shard
            raise

    transact_write_items._localapi = True  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def _serialized(app: Any) -> Any:
    """A WSGI app that runs DynamoDB (and Streams) requests one at a time."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            with _LOCK:
                return list(app(environ, start_response))
        return app(environ, start_response)

    return wrapped


def serve_moto(argv: list[str]) -> int:
    """Child entry point: serve moto on 127.0.0.1 (ephemeral port), print `READY <port>`, run until told to stop."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    parent_pid = int(argv[argv.index("--parent-pid") + 1]) if "--parent-pid" in argv else 0
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    _patch_update_item()
    _patch_transact_write_items()
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", 0, _serialized(app), True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="moto", daemon=True)
    thread.start()
    stop = stop_on_signals()
    if parent_pid:
        watch_parent(parent_pid, stop)
    announce_ready(server.server_port)
    wait_for_stop(stop)
    server.shutdown()
    thread.join(5)
    return 0
