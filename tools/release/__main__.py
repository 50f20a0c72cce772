"""`make release`: build the tree's release and roll it out in waves (`python -m tools.release --help`)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from typing import Protocol

from tools.release import artefacts
from tools.release.waves import ReleaseStopped, Rollout, parse_waves

STATE = artefacts.RELEASES_DIR / "state.json"


class Deployment(Protocol):
    """What the first release asks of the backend (tools/release/aws.py AwsBackend)."""

    def serving(self, region: str) -> str | None: ...
    def deployed(self) -> bool | None: ...


def first_waves(backend: Deployment, release_id: str, regions: list[str], waves: list[list[str]]) -> list[list[str]]:
    """The waves, unless no region is pinned to a release yet. Unpinned regions are planned from this tree, so
    the first wave's apply would reach all of them at once: that is safe only when nothing serves yet (the first
    deployment), or when they already serve this very tree (then the release changes no byte they serve)."""
    if any(backend.serving(region) is not None for region in regions):
        return waves
    deployed = backend.deployed()
    if deployed is None:
        print(f"first deployment: nothing serves yet, {release_id} creates {', '.join(regions)} in one wave")
    elif deployed:
        print(f"first release: every region already serves this tree, {release_id} records it in one wave")
    else:
        raise ValueError(
            "the regions serve what a plain `terraform apply` deployed and this tree differs from it, so a release"
            " would reach every region at once: check out the tree you applied, run make release (it records it),"
            " then release this tree"
        )
    return [regions]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.release", description=__doc__)
    parser.add_argument("--regions", required=True, help="every region of the deployment, r1,r2,... (REGIONS)")
    parser.add_argument(
        "--waves", help="r1;r2,r3: regions per wave in order (WAVES; default: the first, then the rest)"
    )
    parser.add_argument("--bake-minutes", type=float, default=30.0, help="per wave, alarms green (BAKE_MINUTES)")
    parser.add_argument("--resume", action="store_true", help="continue the release in progress (RESUME=1)")
    parser.add_argument("--terraform", default="terraform", help="the terraform binary")
    args = parser.parse_args(argv)
    try:
        regions = [r.strip() for r in args.regions.split(",") if r.strip()]
        waves = parse_waves(args.waves, regions)
        if shutil.which(args.terraform) is None:
            raise ValueError(f"{args.terraform} not found: install Terraform >= 1.11 or pass --terraform PATH")
        release = artefacts.build(artefacts.ROOT / "api", artefacts.ROOT / "build" / "lambdas")
    except (ValueError, artefacts.ReleaseError) as error:
        print(f"make release: {error}", file=sys.stderr)
        return 2
    from botocore.exceptions import BotoCoreError, ClientError

    from tools.release.aws import AwsBackend

    backend = AwsBackend(args.terraform)
    try:
        waves = first_waves(backend, release.id, regions, waves)
    except ValueError as error:
        print(f"make release: {error}", file=sys.stderr)
        return 2
    print(f"release {release.id} ({release.path}): waves {' -> '.join(','.join(w) for w in waves)}")
    rollout = Rollout(backend, release, waves, args.bake_minutes * 60, STATE, poll_seconds=30)
    try:
        rollout.run(resume=args.resume)
    except ReleaseStopped as stopped:
        print(f"make release: stopped and rolled back: {stopped}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"make release: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(
            f"make release: `{' '.join(error.cmd[1:3])}` failed (above); fix it and run again with RESUME=1",
            file=sys.stderr,
        )
        return 1
    except (BotoCoreError, ClientError) as error:
        print(f"make release: AWS refused a call ({error}); fix it and run again with RESUME=1", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
