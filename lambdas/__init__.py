"""The Lambda functions of the API: one handler per contract operation (lambdas/handlers/).

Cold start: in Lambda (AWS_LAMBDA_FUNCTION_NAME is set), the garbage collector is paused from the
first import until the first request has been answered (imports and client creation allocate
hundreds of thousands of objects and would trigger many useless collections), then re-enabled with
everything allocated so far frozen out of future collections. `make bench` measures it (~10% of the
cold start); outside Lambda (tests, tools) nothing changes.
"""

import gc
import os

_paused = "AWS_LAMBDA_FUNCTION_NAME" in os.environ and gc.isenabled()
if _paused:
    gc.disable()


def end_of_init() -> None:
    """Re-enable the collector paused at import, freezing what init allocated (called once per container)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
