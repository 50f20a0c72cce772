"""`make release`: build the tree's release and roll it out in waves (`python -m tools.release --help`)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

from tools.release import artefacts
from tools.release.waves import ReleaseStopped, Rollout, parse_waves

STATE = artefacts.RELEASES_DIR / "state.json"


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
    if all(backend.serving(region) is None for region in regions):
        # No region is pinned to a release directory yet, so none can keep serving an earlier one.
        print(
            f"first release: no region serves a kept release yet, {release.id} goes to {', '.join(regions)} in one wave"
        )
        waves = [regions]
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
