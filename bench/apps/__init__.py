"""The handlers `make bench` compares; each answers GET /v1/accounts/me with one DynamoDB GetItem.

Only `bare_boto3`, `powertools` and `fastapi_mangum` live here; ours is lambdas.handlers.get_my_account.
They are installed only in the bench environment (pyproject extra `bench`) and never deployed.
"""
