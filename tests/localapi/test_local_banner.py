"""The `make serve` banner's `Try:` lines (localapi/__main__.py try_lines): drawn from the served API's document, so
each one answers as shown for any API, the kit's own here and examples/orders in tests/examples/orders."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from devtools.lab.client import call
from localapi.__main__ import try_lines

if TYPE_CHECKING:
    from devtools.lab.cluster import LocalApi

pytestmark = pytest.mark.slow
CURL = re.compile(r"curl -s (?:-X (?P<method>[A-Z]+) )?(?P<url>http://[^/\s]+)(?P<path>/\S*)(?P<rest>.*)")


def wrong_answers(local: LocalApi, token: str) -> list[str]:
    """Every curl line of the banner sent as written (`token` for $TOKEN) whose answer is not the status its comment
    announces, or not a 2xx where it announces none; the banner must hold some."""
    lines = try_lines(local.api, local.url, local.server.port)
    sent = [match for line in lines if (match := CURL.search(line))]
    assert sent, lines
    wrong = []
    for match in sent:
        method, rest = match["method"] or "GET", match["rest"]
        body = {} if "-d '{}'" in rest else None
        reply = call(match["url"], method, match["path"], token=token if "$TOKEN" in rest else None, body=body)
        announced = re.search(r"# -> (\d{3})", rest)
        if (reply.status != int(announced[1])) if announced else not 200 <= reply.status < 300:
            wrong.append(f"{method} {match['path']}: {reply.status}")
    return wrong


def test_banner_try_lines_answer_as_shown(single_region: LocalApi) -> None:
    assert wrong_answers(single_region, single_region.token()) == []


def test_banner_try_lines_fetch_a_token_when_an_operation_needs_one(single_region: LocalApi) -> None:
    lines = try_lines(single_region.api, single_region.url, 8123)
    assert "  TOKEN=$(make -s token PORT=8123)" in lines
