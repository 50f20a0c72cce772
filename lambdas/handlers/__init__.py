"""One module per contract operation (lambdas/handlers/<operation_id>.py), each exposing `handler`."""
