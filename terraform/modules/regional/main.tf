################################################################################
# REST API from the deployable OpenAPI document
################################################################################

data "aws_partition" "current" {}

locals {
  # Function ARNs and the user pool are the only template variables; every other
  # `${` of the document is escaped as `$${` (API Gateway substitutes ${AWS::Region}).
  body = templatefile(var.openapi_path, {
    function_arns = local.integration_arns
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

  #checkov:skip=CKV_AWS_237:No argument here forces a replacement, so create_before_destroy would do nothing for the API itself and would propagate to everything it depends on (functions, roles, table); the deployment keeps it, where a replacement happens.

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
  #checkov:skip=CKV2_AWS_77:The kit's web ACL (waf.create, waf.tf) holds the per-IP rate-based rule only, and an ACL given by web_acl_arn holds the operator's rule groups; the Log4j rule group protects Java/Log4j stacks and every function here is Python.
  #checkov:skip=CKV2_AWS_29:WAF is opt-in, not absent: waf.create = true puts the kit's per-IP rate-based web ACL on this stage (waf.tf), web_acl_arn associates the operator's. It is off by default because it is billed per ACL, rule and request (WAF pricing: $5 + $1 per rule a month and $0.60 per million requests, in every region) while the stage and /health throttles and the Cognito authorizer on every other method already bound what an anonymous caller can do.

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

# The health operation (GET of the canary's path, from the manifest) gets its own bucket: API Gateway applies
# stage throttling per method (API Gateway developer guide, api-gateway-request-throttling), so a flood of
# anonymous health requests stays cheap and the other methods keep theirs. Route 53 does not probe it (a 429
# would count as a failure and anyone could fail the region over): it routes on the failover canary and the
# region's error rate (failover.tf).
resource "aws_api_gateway_method_settings" "health" {
  count  = local.create_canary ? 1 : 0
  region = var.region

  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "${trimprefix(var.canary.path, "/")}/GET"

  settings {
    #checkov:skip=CKV_AWS_225:Caching stays off: a cached health answer would hide a failure.
    metrics_enabled        = true
    logging_level          = "ERROR"
    data_trace_enabled     = false
    caching_enabled        = false
    cache_data_encrypted   = true
    throttling_rate_limit  = var.health_throttling.rate_limit
    throttling_burst_limit = var.health_throttling.burst_limit
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

# API Gateway writes logs only after the account (per region) names a CloudWatch role. The
# setting is the account's, not this API's: provider 6 resets it on destroy (version-6 upgrade
# guide, aws_api_gateway_account: reset_on_delete removed), so it is off by default.
resource "aws_api_gateway_account" "this" {
  count  = var.create_api_gateway_account ? 1 : 0
  region = var.region

  cloudwatch_role_arn = var.api_gateway_cloudwatch_role_arn
}
