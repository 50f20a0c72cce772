################################################################################
# Cognito: the pre token generation trigger (event V2_0), in the primary region
# with the pool. It puts the contract's scopes into the access tokens of every
# sign-in flow and keeps the group scopes to the operator client's members.
################################################################################

locals {
  pre_token_generation_name      = "${var.name}-pre-token-generation"
  pre_token_generation_log_group = "/aws/lambda/${local.pre_token_generation_name}"
  # The pool names the function by its ARN, built here rather than read from the function: the function's
  # environment holds the app clients' ids, the clients need the pool, and the provider sets lambda_config
  # only on the pool (hashicorp/terraform-provider-aws#26741), so reading the ARN would be a cycle. The
  # permission below, created after both, is what lets Cognito invoke it.
  pre_token_generation_arn = "arn:${local.partition}:lambda:${var.primary_region}:${local.account_id}:function:${local.pre_token_generation_name}"
}

data "aws_iam_policy_document" "pre_token_generation" {
  # The trigger calls no AWS API (lambdas/triggers/pre_token_generation.py): it may write its own logs only.
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${local.partition}:logs:${var.primary_region}:${local.account_id}:log-group:${local.pre_token_generation_log_group}:*"]
  }
}

resource "aws_iam_role" "pre_token_generation" {
  name               = local.pre_token_generation_name
  description        = "Cognito pre token generation trigger of ${var.name} (${var.primary_region})"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json
}

resource "aws_iam_role_policy" "pre_token_generation" {
  name   = "least-privilege"
  role   = aws_iam_role.pre_token_generation.id
  policy = data.aws_iam_policy_document.pre_token_generation.json
}

resource "aws_cloudwatch_log_group" "pre_token_generation" {
  region = var.primary_region

  name              = local.pre_token_generation_log_group
  retention_in_days = var.pre_token_generation.log_retention_in_days
  kms_key_id        = aws_kms_key.this.arn
}

resource "aws_lambda_function" "pre_token_generation" {
  region = var.primary_region

  #checkov:skip=CKV_AWS_116:Cognito invokes the trigger synchronously and fails the sign-in on an error; a dead-letter queue only receives failed asynchronous invocations.
  #checkov:skip=CKV_AWS_117:The trigger calls nothing (no AWS API, no network): a VPC would isolate nothing.
  #checkov:skip=CKV_AWS_272:The package is built reproducibly by `make package` and deployed by file; code signing needs S3-hosted packages signed by AWS Signer.
  #checkov:skip=CKV_AWS_115:Every sign-in and refresh of the pool runs it: a reservation would cap sign-ins below the account's regional concurrency, and a fixed default takes from that pool on low-quota accounts.
  #checkov:skip=CKV_AWS_50:The trigger calls no service, so X-Ray would trace nothing but the invocation; tracing would add xray:Put* with resource "*" to a role that may write its own logs only.

  function_name = local.pre_token_generation_name
  description   = "Cognito pre token generation trigger (V2_0) of ${var.name}: the API's scopes in every sign-in flow's access token"
  role          = aws_iam_role.pre_token_generation.arn
  handler       = var.pre_token_generation.handler
  runtime       = var.pre_token_generation.runtime
  architectures = [var.pre_token_generation.architecture]
  memory_size   = 128
  # Cognito waits 5 seconds for a trigger, then retries (up to 3 attempts) and fails the sign-in
  # (cognito-user-identity-pools-working-with-aws-lambda-triggers); the function answers in milliseconds.
  timeout          = 5
  kms_key_arn      = aws_kms_key.this.arn
  filename         = "${var.pre_token_generation.package_dir}/${var.pre_token_generation.package}"
  source_code_hash = filebase64sha256("${var.pre_token_generation.package_dir}/${var.pre_token_generation.package}")

  environment {
    variables = {
      APP_CLIENT_ID      = aws_cognito_user_pool_client.this.id
      OPERATOR_CLIENT_ID = try(aws_cognito_user_pool_client.operator[0].id, "")
      LOG_LEVEL          = var.pre_token_generation.log_level
    }
  }

  logging_config {
    # The trigger writes one JSON object per line (its decision).
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.pre_token_generation.name
  }

  # The function must not be invoked before its role can write its logs.
  depends_on = [aws_iam_role_policy.pre_token_generation]
}

# Only this pool, in this account, may invoke the trigger (confused-deputy protection: source_arn and
# source_account, Cognito developer guide "Lambda triggers", resource-based policy).
resource "aws_lambda_permission" "pre_token_generation" {
  region = var.primary_region

  statement_id   = "AllowCognitoInvoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.pre_token_generation.function_name
  principal      = "cognito-idp.amazonaws.com"
  source_arn     = aws_cognito_user_pool.this.arn
  source_account = local.account_id
}
