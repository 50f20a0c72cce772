################################################################################
# REST API from the deployable OpenAPI document
################################################################################

data "aws_partition" "current" {}

locals {
  # Function ARNs and the user pool are the only template variables; every other
  # `${` of the document is escaped as `$${` (API Gateway substitutes ${AWS::Region}).
  body = templatefile(var.openapi_path, {
    function_arns = { for operation_id, function in aws_lambda_function.this : operation_id => function.arn }
    user_pool_arn = var.user_pool_arn
  })

  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    extendedRequestId  = "$context.extendedRequestId"
    requestTime        = "$context.requestTime"
    ip                 = "$context.identity.sourceIp"
    userAgent          = "$context.identity.userAgent"
    httpMethod         = "$context.httpMethod"
    resourcePath       = "$context.resourcePath"
    path               = "$context.path"
    status             = "$context.status"
    protocol           = "$context.protocol"
    responseLength     = "$context.responseLength"
    responseLatency    = "$context.responseLatency"
    integrationStatus  = "$context.integration.status"
    integrationLatency = "$context.integration.latency"
    errorMessage       = "$context.error.message"
    authorizerError    = "$context.authorizer.error"
    sub                = "$context.authorizer.claims.sub"
    xrayTraceId        = "$context.xrayTraceId"
    region             = var.region
  })
}

resource "aws_api_gateway_rest_api" "this" {
  region = var.region

  name        = var.name
  description = "${var.name} (${var.region})"
  body        = local.body
  # The document is the whole API: overwrite drops what it no longer declares.
  put_rest_api_mode = "overwrite"
  # An import warning (an ignored keyword, a bad extension) fails the apply instead of vanishing.
  fail_on_warnings = true

  endpoint_configuration {
    types = [var.endpoint_type]
  }

  lifecycle {
    create_before_destroy = true
  }
}

# An import does not deploy: a new deployment whenever the rendered body changes.
resource "aws_api_gateway_deployment" "this" {
  region = var.region

  rest_api_id = aws_api_gateway_rest_api.this.id
  description = "body sha1 ${sha1(local.body)}"

  triggers = {
    redeployment = sha1(local.body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "this" {
  region = var.region

  #checkov:skip=CKV_AWS_120:Responses depend on the caller's token and change on every write; a stage cache would serve stale or foreign data.
  #checkov:skip=CKV2_AWS_51:Callers are mobile apps authenticated by Cognito JWTs, and the backends are Lambda functions, not HTTP servers that could check a client certificate.
  #checkov:skip=CKV2_AWS_29:A WAF web ACL is an account-level choice (cost, rules); attach one with aws_wafv2_web_acl_association on the stage ARN output.

  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = local.access_log_format
  }

  depends_on = [aws_api_gateway_account.this, aws_cloudwatch_log_group.execution]
}

resource "aws_api_gateway_method_settings" "this" {
  region = var.region

  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    #checkov:skip=CKV_AWS_225:Caching stays off for the reason given on the stage (per-caller, frequently written data).
    metrics_enabled        = true
    logging_level          = "ERROR"
    data_trace_enabled     = false
    caching_enabled        = false
    cache_data_encrypted   = true
    throttling_rate_limit  = var.throttling.rate_limit
    throttling_burst_limit = var.throttling.burst_limit
  }
}

################################################################################
# Logs of the API: access log, execution log, account-level CloudWatch role
################################################################################

resource "aws_cloudwatch_log_group" "access" {
  region = var.region

  name              = "/aws/apigateway/${var.name}/${var.stage_name}/access"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
}

# API Gateway would create this group itself, without retention or encryption.
resource "aws_cloudwatch_log_group" "execution" {
  region = var.region

  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/${var.stage_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
}

# API Gateway writes logs only after the account (per region) names a CloudWatch role.
resource "aws_api_gateway_account" "this" {
  count  = var.create_api_gateway_account ? 1 : 0
  region = var.region

  cloudwatch_role_arn = var.api_gateway_cloudwatch_role_arn
}
