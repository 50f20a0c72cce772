"""moto in server mode (a child process) and its seeding, per region, as Terraform provisions it:
DynamoDB, Secrets Manager, Cognito."""
