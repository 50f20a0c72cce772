"""Run the whole API on one machine, as API Gateway + Lambda + Cognito + DynamoDB would in each region.

`python -m localapi serve` (`make serve`) starts moto in server mode (DynamoDB, Secrets Manager,
Cognito), one local API Gateway per region that routes, authorizes and validates by the committed
deployable document (api/openapi.aws.json) and invokes the real handlers, a replicator that plays
the DynamoDB global table, and a front router that plays Route 53 latency routing with health checks.
"""
