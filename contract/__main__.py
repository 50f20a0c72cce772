"""`python -m contract [--check]` (make swagger / make contract-check): contract.build, whose import already runs the
contract's declarations, so a mistake in them is one `contract error:` line, never a traceback."""

import sys

from contract.errors import one_line

try:
    from contract.build import main
except Exception as error:  # any mistake in routes.py or models/ surfaces while importing them
    print(one_line(error), file=sys.stderr)
    sys.exit(1)

sys.exit(main())
