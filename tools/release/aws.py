"""The AWS backend of `make release`: Terraform stages a release in a region, CodeDeploy shifts it.

stage: terraform/release.auto.tfvars.json maps the region to the release directory and `terraform apply`
imports its document and publishes its function versions; the aliases do not move (Terraform ignores
their version: modules/regional lambda.tf). Then every new version must be Active before traffic goes
to it: the provider does not wait for the first one (hashicorp/terraform-provider-aws#42693), and a
SnapStart version whose snapshot failed stays Failed (#49904), so the release stops there.
shift: one CodeDeploy deployment per function whose alias is behind (AppSpec: Name, Alias,
CurrentVersion, TargetVersion; codedeploy userguide reference-appspec-file-structure-resources), polled
until Succeeded; an alarm of the deployment group stops it and CodeDeploy points the alias back
(deployments-rollback-and-redeploy). restore: the aliases back on the versions recorded before, and the
region's release directory back, applied.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from tools.release import artefacts

if TYPE_CHECKING:
    from collections.abc import Callable

TERRAFORM_DIR: Final = artefacts.ROOT / "terraform"
TFVARS: Final = TERRAFORM_DIR / "release.auto.tfvars.json"
VERSIONS: Final = artefacts.RELEASES_DIR / "alias-versions.json"
"""The version each alias served before the release in progress: what a rollback (also after RESUME=1) restores."""
DONE: Final = {"Succeeded", "Failed", "Stopped"}


class AwsBackend:
    """Regions of one Terraform root on AWS (boto3 with the environment's credentials)."""

    def __init__(
        self, terraform: str = "terraform", poll_seconds: float = 15.0, versions: Path = VERSIONS, tfvars: Path = TFVARS
    ) -> None:
        import boto3

        self.terraform = terraform
        self.poll_seconds = poll_seconds
        self._session = boto3.session.Session()
        self.versions = versions
        self.tfvars = tfvars
        self._releases: dict[str, Any] | None = None
        """`terraform output releases`, read once after each apply."""
        self.waiter_delay = 5
        """Seconds between checks of a new version's state: 360 checks, the 30 minutes of publish_timeout."""

    @property
    def previous_versions(self) -> dict[str, dict[str, str]]:
        """region -> operation_id -> the version its alias served before the release reached the region."""
        if not self.versions.is_file():
            return {}
        recorded: dict[str, dict[str, str]] = json.loads(self.versions.read_text(encoding="utf-8"))
        return recorded

    def _record(self, region: str, versions: dict[str, str]) -> None:
        self.versions.parent.mkdir(parents=True, exist_ok=True)
        self.versions.write_text(
            json.dumps({**self.previous_versions, region: versions}, indent=2, sort_keys=True) + "\n"
        )

    def _client(self, service: str, region: str) -> Any:
        return self._session.client(service, region_name=region)  # type: ignore[call-overload]

    def _pinned(self, key: str) -> dict[str, str]:
        if not self.tfvars.is_file():
            return {}
        return dict(json.loads(self.tfvars.read_text(encoding="utf-8")).get("release", {}).get(key, {}))

    def _pins(self) -> dict[str, str]:
        return self._pinned("regions")

    def _apply(self, pins: dict[str, str]) -> None:
        # `previous`: the directory each region served before its pin. Its function versions may still serve
        # (the canary's share, a rollback), so modules/api keeps their grants in the shared roles.
        previous = self._pinned("previous")
        for region, pin in self._pins().items():
            if pins.get(region) != pin:
                previous[region] = pin
        self._releases = None
        self.tfvars.write_text(
            json.dumps({"release": {"regions": pins, "previous": previous}}, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        subprocess.run(
            [self.terraform, f"-chdir={TERRAFORM_DIR}", "apply", "-auto-approve", "-input=false"], check=True
        )

    def _functions(self, region: str) -> dict[str, Any]:
        # `terraform output` changes only with an apply, and the bake polls alarms every few seconds: read it once.
        if self._releases is None:
            result = subprocess.run(
                [self.terraform, f"-chdir={TERRAFORM_DIR}", "output", "-json", "releases"],
                check=True,
                capture_output=True,
                text=True,
            )
            self._releases = json.loads(result.stdout)
        functions: dict[str, Any] = self._releases[region]
        return functions

    def deployed(self) -> bool | None:
        """Whether what the unpinned regions serve is this tree: None when nothing is deployed yet (empty state),
        else whether `terraform plan` finds no change (-detailed-exitcode: 0 none, 2 changes, 1 error)."""
        chdir = f"-chdir={TERRAFORM_DIR}"
        state = subprocess.run([self.terraform, chdir, "state", "list"], capture_output=True, text=True)
        if state.returncode != 0 and "No state file was found" not in state.stderr:
            raise subprocess.CalledProcessError(state.returncode, state.args, state.stdout, state.stderr)
        if state.returncode != 0 or not state.stdout.strip():  # no state file (local backend), or an empty one
            return None
        plan = subprocess.run(
            [self.terraform, chdir, "plan", "-detailed-exitcode", "-input=false", "-lock=false"],
            capture_output=True,
            text=True,
        )
        if plan.returncode not in (0, 2):
            raise subprocess.CalledProcessError(plan.returncode, plan.args, plan.stdout, plan.stderr)
        return plan.returncode == 0

    def serving(self, region: str) -> str | None:
        """The release directory the region is pinned to (None: the working tree, before any release)."""
        pin = self._pins().get(region)
        return Path(pin).name if pin else None

    def stage(self, region: str, release: artefacts.Release) -> None:
        """Pin the region to the release and apply; wait until every published version is Active."""
        try:  # the region's aliases as they are, to roll back to (none before the first apply)
            outputs: dict[str, Any] | None = self._functions(region)
        except (subprocess.CalledProcessError, KeyError, ValueError):
            outputs = None
        lam = self._client("lambda", region)
        if outputs:
            self._record(
                region,
                {
                    op: lam.get_alias(FunctionName=f["function_name"], Name=f["alias"])["FunctionVersion"]
                    for op, f in outputs["functions"].items()
                },
            )
        self._apply({**self._pins(), region: os.path.relpath(release.path, TERRAFORM_DIR)})
        waiter = lam.get_waiter("published_version_active")
        for f in self._functions(region)["functions"].values():
            config = {"Delay": self.waiter_delay, "MaxAttempts": 360}
            waiter.wait(FunctionName=f["function_name"], Qualifier=f["version"], WaiterConfig=config)

    def shift(self, region: str, release: artefacts.Release, log: Callable[[str], None]) -> bool:
        """A CodeDeploy deployment per function whose alias is behind; False if one was stopped."""
        lam, deploy = self._client("lambda", region), self._client("codedeploy", region)
        outputs = self._functions(region)
        running = {}
        for op, f in outputs["functions"].items():
            current = lam.get_alias(FunctionName=f["function_name"], Name=f["alias"])["FunctionVersion"]
            if current == f["version"]:
                continue
            appspec = {
                "version": 0.0,
                "Resources": [
                    {
                        op: {
                            "Type": "AWS::Lambda::Function",
                            "Properties": {
                                "Name": f["function_name"],
                                "Alias": f["alias"],
                                "CurrentVersion": current,
                                "TargetVersion": f["version"],
                            },
                        }
                    }
                ],
            }
            revision = {"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(appspec)}}
            deployment = deploy.create_deployment(
                applicationName=outputs["application"], deploymentGroupName=f["deployment_group"], revision=revision
            )
            running[op] = deployment["deploymentId"]
            log(f"{op}: CodeDeploy {deployment['deploymentId']} {current} -> {f['version']}")
        while running:
            time.sleep(self.poll_seconds)
            for op, deployment_id in list(running.items()):
                info = deploy.get_deployment(deploymentId=deployment_id)["deploymentInfo"]
                if info["status"] not in DONE:
                    continue
                del running[op]
                log(f"{op}: {info['status']}")
                if info["status"] != "Succeeded":
                    for other in running.values():
                        deploy.stop_deployment(deploymentId=other, autoRollbackEnabled=True)
                    return False
        return True

    def alarms(self, region: str) -> list[str]:
        """The deployment groups' alarms of the region in ALARM."""
        names = self._functions(region)["alarms"]
        found = self._client("cloudwatch", region).describe_alarms(AlarmNames=names, StateValue="ALARM")
        return [alarm["AlarmName"] for alarm in found["MetricAlarms"]]

    def restore(self, region: str, previous: str | None) -> None:
        """The aliases back on the versions they served, then the region's pin back, applied."""
        lam = self._client("lambda", region)
        outputs = self._functions(region)
        for op, version in self.previous_versions.get(region, {}).items():
            f = outputs["functions"].get(op)
            if f is not None:
                lam.update_alias(
                    FunctionName=f["function_name"], Name=f["alias"], FunctionVersion=version, RoutingConfig={}
                )
        pins = self._pins()
        if previous is not None:  # the first release has no directory to go back to: aliases only
            pins[region] = os.path.relpath(artefacts.find(previous).path, TERRAFORM_DIR)
        self._apply(pins)

    def wait(self, seconds: float) -> None:
        """Sleep."""
        time.sleep(seconds)

    def now(self) -> float:
        """The monotonic clock."""
        return time.monotonic()
