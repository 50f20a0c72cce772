"""Binary request bodies checked against their operation's declared maximum (added to the package by `make clients`).

The generated module of each operation with a binary request body calls `within_max_bytes` before anything is sent.
Why in the client: over ~4.6 MB the event no longer fits Lambda's 6 MB payload, Lambda refuses the invocation and API
Gateway answers 500 ("Handling Lambda errors with an API Gateway API",
https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html); 500 is in the retry policy, so the
upload would be sent again and again for the whole retry budget before the caller heard of it.
"""

from __future__ import annotations

from typing import IO


class BodyTooLargeError(ValueError):
    """A binary request body over its operation's declared maximum (`max_bytes`, the document's `maxLength`)."""

    def __init__(self, operation: str, size: int, max_bytes: int, *, exact: bool = True) -> None:
        said = f"{size} bytes" if exact else f"more than {size - 1} bytes"
        super().__init__(
            f"{operation}: the request body is {said}, over the declared maximum of {max_bytes} bytes; nothing was sent"
        )
        self.operation = operation
        self.size = size
        """The body's size in bytes, or `max_bytes + 1` for a stream that cannot seek (only that much is read)."""
        self.max_bytes = max_bytes


def within_max_bytes(operation: str, content: IO[bytes] | bytes, max_bytes: int) -> IO[bytes] | bytes:
    """`content`, to send as it is, or BodyTooLargeError if it is bigger than `max_bytes`.

    A seekable payload (a file, `io.BytesIO`) is measured from its position to its end and left where it was; a
    stream that cannot seek is read, at most `max_bytes + 1` bytes, and its bytes are what is sent.
    """
    if isinstance(content, (bytes, bytearray, memoryview)):
        size = len(content)
    elif content.seekable():
        start = content.tell()
        size = content.seek(0, 2) - start
        content.seek(start)
    else:
        data = content.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise BodyTooLargeError(operation, len(data), max_bytes, exact=False)
        return data
    if size > max_bytes:
        raise BodyTooLargeError(operation, size, max_bytes)
    return content
