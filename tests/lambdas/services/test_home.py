"""Home-region calls: MRSC write conflicts retried, then 503 with Retry-After."""

import random

import pytest

from lambdas.awsclient import ClientError
from lambdas.runtime.errors import UnavailableError
from lambdas.services import home


def conflict() -> ClientError:
    return ClientError({"Error": {"Code": "ReplicatedWriteConflictException", "Message": "busy"}}, "PutItem")


class Clock:
    """A fake clock the fake sleep advances."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def test_retry_conflicts_runs_the_write_again_until_the_other_region_is_done():
    clock, attempts = Clock(), []

    def write() -> str:
        attempts.append(clock.now)
        if len(attempts) < 3:
            raise conflict()
        return "written"

    assert home.retry_conflicts(write, clock.sleep, lambda: clock.now) == "written"
    assert len(attempts) == 3
    assert all(0 <= pause <= home.CONFLICT_CAP_SECONDS for pause in clock.pauses)


def test_retry_conflicts_past_its_deadline_is_503_with_retry_after():
    clock = Clock()

    def write() -> str:
        raise conflict()

    with pytest.raises(UnavailableError) as raised:
        home.retry_conflicts(write, clock.sleep, lambda: clock.now)
    assert raised.value.retry_after == home.RETRY_AFTER_SECONDS
    assert clock.now <= home.CONFLICT_DEADLINE_SECONDS


def test_retry_conflicts_passes_other_errors_through_at_once():
    def write() -> str:
        raise ClientError({"Error": {"Code": "ConditionalCheckFailedException", "Message": "no"}}, "PutItem")

    with pytest.raises(ClientError):
        home.retry_conflicts(write, lambda _: pytest.fail("no retry"), lambda: 0.0)


def test_retry_conflicts_pauses_do_not_repeat_with_the_random_module_state():
    # Environments restored from one SnapStart snapshot share `random`'s state; the pauses must not follow it
    def pauses_after_seeding() -> list[float]:
        random.seed(20261202)
        clock, attempts = Clock(), []

        def write() -> str:
            attempts.append(clock.now)
            if len(attempts) < 4:
                raise conflict()
            return "written"

        home.retry_conflicts(write, clock.sleep, lambda: clock.now)
        return clock.pauses

    assert pauses_after_seeding() != pauses_after_seeding()
