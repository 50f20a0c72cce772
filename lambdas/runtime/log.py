"""Structured logs: one JSON object per line on stdout, carrying the request id, region and operation.

Lambda sends stdout to CloudWatch Logs, where each line is then queryable by field. Nothing is
logged on the success path (the gateway's access log has every request), so a warm request pays
nothing for logging.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import Any, Final

_RESERVED: Final = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

context: dict[str, str] = {}
"""Fields added to every line of the current invocation (a container serves one request at a time):
the operation and the request id, set by lambdas.runtime.operation. The region is added when a line
is written, so the success path pays nothing for it."""


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line: level, message, timestamp, the context and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The JSON line of `record`."""
        line: dict[str, Any] = {
            "level": record.levelname,
            "message": record.getMessage(),
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "logger": record.name,
            "region": os.environ.get("AWS_REGION", ""),
        }
        line.update(context)
        line.update((key, value) for key, value in record.__dict__.items() if key not in _RESERVED)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def get_logger(name: str = "lambdas") -> logging.Logger:
    """The JSON logger, at LOG_LEVEL (INFO by default); it does not go through the runtime's root logger."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.propagate = False
        level = os.environ.get("LOG_LEVEL", "INFO").upper()
        logger.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
    return logger
