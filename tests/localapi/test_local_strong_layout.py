"""The STRONG (MRSC) model's layout and quorum rules, without a stack (devtools/lab/strong.py)."""

from __future__ import annotations

import pytest

from devtools.lab.cluster import LocalApi, Options
from devtools.lab.strong import StrongTable, check_layout


@pytest.mark.parametrize(
    ("regions", "witness", "message"),
    [
        (["us-east-1", "us-east-2"], None, "exactly 3 regions"),
        (["us-east-1", "us-east-2", "us-west-2", "eu-west-1"], None, "exactly 3 regions"),
        (["us-east-1", "us-east-2", "us-west-2"], "eu-west-1", "exactly 3 regions"),
        (["us-east-1", "us-east-2"], "us-east-2", "exactly 3 regions"),
        (["us-east-1", "eu-west-1", "us-west-2"], None, "one region set"),
        (["eu-west-1", "eu-west-2"], "us-east-1", "one region set"),
    ],
)
def test_strong_layout_refuses_what_aws_refuses(regions, witness, message):
    with pytest.raises(ValueError, match=message):
        check_layout(regions, witness)
    with pytest.raises(ValueError, match=message):  # before anything is started
        LocalApi(Options(regions=regions, witness=witness, consistency="STRONG", port=0, state_dir=None))


def test_strong_layout_accepts_three_regions_or_two_and_a_witness():
    check_layout(["us-east-1", "us-east-2", "us-west-2"], None)
    check_layout(["eu-west-1", "eu-central-1"], "eu-west-3")


def test_a_witness_only_for_a_strong_table():
    with pytest.raises(ValueError, match="witness"):
        LocalApi(Options(regions=["us-east-1", "us-east-2"], witness="us-west-2", port=0, state_dir=None))


def test_strong_quorum_with_a_witness_survives_one_region_and_not_two():
    # GIVEN two replicas and a witness (no request is sent: no moto behind the fronts)
    latency = {("us-east-1", "us-west-2"): 70, ("us-east-1", "us-east-2"): 15, ("us-east-2", "us-west-2"): 60}
    table = StrongTable(
        ["us-east-1", "us-east-2"],
        "us-west-2",
        "t",
        0,
        lambda service, region: None,
        lambda a, b: latency.get((a, b)) or latency[(b, a)],
    )
    try:
        # a write pays the round trip to the nearest other participant
        assert (table.quorum_ms("us-east-1"), table.quorum_ms("us-east-2")) == (15, 15)
        table.set_isolated("us-east-2", True)
        # WHEN one replica is cut off THEN the other keeps its quorum through the witness, the cut one has none
        assert (table.has_quorum("us-east-1"), table.has_quorum("us-east-2")) == (True, False)
        assert table.quorum_ms("us-east-1") == 70
        table.set_isolated("us-west-2", True)
        assert not table.has_quorum("us-east-1")
        table.set_isolated("us-west-2", False)
        table.set_isolated("us-east-2", False)
        assert table.has_quorum("us-east-2")
    finally:
        table.stop()


def test_strong_write_waits_for_the_nearest_participant_a_witness_leaves_the_other_replica_lagging():
    # GIVEN two replicas and a witness nearer to eu-west-1 than the other replica (no request is sent)
    latency = {("eu-west-1", "eu-west-3"): 10, ("eu-west-1", "eu-central-1"): 20, ("eu-central-1", "eu-west-3"): 15}
    table = StrongTable(
        ["eu-west-1", "eu-central-1"],
        "eu-west-3",
        "t",
        0,
        lambda service, region: None,
        lambda a, b: latency.get((a, b)) or latency[(b, a)],
    )
    try:
        # a write is acknowledged after the witness's round trip; the witness holds no data, so the other
        # replica receives it asynchronously
        assert (table.quorum_ms("eu-west-1"), table.lagging("eu-west-1")) == (10, ["eu-central-1"])
        # WHEN the witness is cut off THEN the write waits for the other replica, which then has it
        table.set_isolated("eu-west-3", True)
        assert (table.quorum_ms("eu-west-1"), table.lagging("eu-west-1")) == (20, [])
    finally:
        table.stop()
