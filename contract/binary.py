"""A binary body: raw bytes of a declared media type, up to a declared size (API Gateway binary media types).

`Operation(request=Binary("application/pdf", max_bytes=...), responses={200: Binary(...)})`. API Gateway passes
such a body to a Lambda proxy integration base64-encoded with `isBase64Encoded: true` when the request's
Content-Type is one of the API's binary media types, and decodes a proxy answer marked `isBase64Encoded` into
bytes when the request's *first* Accept media type is one of them; otherwise the base64 text goes through as is
(https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html). The deployable
document lists every declared type in `x-amazon-apigateway-binary-media-types`
(https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-binary-media-types.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

LAMBDA_SYNC_PAYLOAD: Final = 6_000_000
"""Lambda's synchronous invocation payload, request and response each: 6 MB
(https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html; API Gateway's own 10 MB is larger)."""
MAX_BINARY_BYTES: Final = 4 * 1024 * 1024
"""The largest binary body an operation may declare: base64 makes 4 MiB 5,592,408 bytes, which leaves ~400 KB of
the 6 MB payload for the rest of the proxy event (headers twice, request context) or answer."""

# RFC 6838 section 4.2: type "/" subtype, restricted-name characters, no wildcard, no parameters.
_MEDIA_TYPE: Final = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_JSON_TYPES: Final = frozenset({"application/json"})


def base64_size(max_bytes: int) -> int:
    """The length of `max_bytes` bytes in base64 (4 characters per 3 bytes, padded)."""
    return 4 * -(-max_bytes // 3)


@dataclass(frozen=True)
class Binary:
    """A body of raw bytes: one of `media_types`, at most `max_bytes` long (the handler answers 415 and 413)."""

    media_types: tuple[str, ...]
    max_bytes: int

    def __init__(self, *media_types: str, max_bytes: int) -> None:
        object.__setattr__(self, "media_types", media_types)
        object.__setattr__(self, "max_bytes", max_bytes)

    def problem(self) -> str | None:
        """What cannot work on AWS about this declaration (one phrase naming the fix), None if nothing."""
        if not self.media_types:
            return 'Binary needs at least one media type, e.g. Binary("application/pdf", max_bytes=262144)'
        for media_type in self.media_types:
            if not isinstance(media_type, str) or not _MEDIA_TYPE.match(media_type):
                return (
                    f"Binary media type {media_type!r} is not a lower-case type/subtype without wildcard or parameters "
                    "(RFC 6838): a wildcard in the API's binary media types makes every matching body binary, JSON too"
                )
            if media_type in _JSON_TYPES or media_type.endswith("+json"):
                return (
                    f"Binary media type {media_type!r} is JSON: the API's binary media types would make every JSON "
                    "body base64 to the handlers and its answers binary; declare a model instead"
                )
        if len(set(self.media_types)) != len(self.media_types):
            return f"Binary media types {list(self.media_types)} repeat one"
        if not isinstance(self.max_bytes, int) or isinstance(self.max_bytes, bool) or self.max_bytes < 1:
            return f"Binary max_bytes must be a positive number of bytes, not {self.max_bytes!r}"
        if self.max_bytes > MAX_BINARY_BYTES:
            return (
                f"Binary max_bytes {self.max_bytes} is over {MAX_BINARY_BYTES}: in base64 "
                f"({base64_size(self.max_bytes)} bytes) the body would not fit Lambda's {LAMBDA_SYNC_PAYLOAD}-byte "
                "synchronous payload with its event"
            )
        return None

    @property
    def rule(self) -> dict[str, object]:
        """What the handler checks at run time (lambdas/runtime/events.py)."""
        return {"media_types": list(self.media_types), "max_bytes": self.max_bytes}
