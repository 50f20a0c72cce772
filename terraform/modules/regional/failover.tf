################################################################################
# Failover signal: what Route 53 routes on. Not GET /health: it is public and
# throttled, and Route 53 counts a 429 as a failure, so anyone could fail a region
# over with ~20-100 anonymous requests a second (README: Failover).
################################################################################

locals {
  create_canary = var.canary != null
  # The canary's front door: this region's endpoint of the custom domain (its certificate verified), else
  # the stage's own endpoint. Never the shared name: it follows latency routing to whichever region answers.
  canary_host = local.create_domain ? (
    local.edge ? aws_api_gateway_domain_name.this[0].cloudfront_domain_name : aws_api_gateway_domain_name.this[0].regional_domain_name
  ) : "${aws_api_gateway_rest_api.this.id}.execute-api.${var.region}.${data.aws_partition.current.dns_suffix}"
  canary_server_name = local.create_domain ? var.domain.name : local.canary_host
  canary_path        = local.create_canary ? (local.create_domain ? var.canary.path : "/${var.stage_name}${var.canary.path}") : null
}

resource "aws_cloudwatch_log_group" "canary" {
  count  = local.create_canary ? 1 : 0
  region = var.region

  name              = var.canary.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
}

# lambdas/triggers/canary.py: the table and the secret as GET /health checks them (in-process, so no caller
# can throttle it), then GET /health through this region's front door; a failure is a function error.
resource "aws_lambda_function" "canary" {
  count  = local.create_canary ? 1 : 0
  region = var.region

  #checkov:skip=CKV_AWS_116:The invocation's failure is the signal (the Errors metric the alarm watches); retries are off and a stale run is worthless, so there is nothing for a dead-letter queue to keep.
  #checkov:skip=CKV_AWS_117:The canary reaches DynamoDB, Secrets Manager and the API through their public endpoints, as callers do; a VPC would add NAT or endpoints for nothing.
  #checkov:skip=CKV_AWS_272:Packages are built reproducibly by `make package` and deployed by file; code signing needs S3-hosted packages signed by AWS Signer.
  #checkov:skip=CKV_AWS_115:One invocation a minute; a reservation would only take from the region's unreserved pool.

  function_name    = var.canary.name
  description      = "Failover canary of ${var.name}: the region's table, secret and front door, every minute"
  role             = var.canary.role_arn
  handler          = var.canary.handler
  runtime          = var.lambda_settings.runtime
  architectures    = [var.lambda_settings.architecture]
  memory_size      = 128
  timeout          = var.health_check.canary_timeout_seconds
  kms_key_arn      = var.kms_key_arn
  filename         = "${var.package_dir}/${var.canary.package}"
  source_code_hash = filebase64sha256("${var.package_dir}/${var.canary.package}")

  environment {
    variables = {
      TABLE_NAME         = var.table_name
      SECRET_ID          = var.secret_name
      LOG_LEVEL          = var.lambda_settings.log_level
      CANARY_HOST        = local.canary_host
      CANARY_SERVER_NAME = local.canary_server_name
      CANARY_PATH        = local.canary_path
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.canary[0].name
  }

  tracing_config {
    mode = "Active"
  }
}

# EventBridge invokes asynchronously, and Lambda retries a failed asynchronous invocation twice by default:
# that would count one failing run three times and run into the next minute's.
resource "aws_lambda_function_event_invoke_config" "canary" {
  count  = local.create_canary ? 1 : 0
  region = var.region

  function_name                = aws_lambda_function.canary[0].function_name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60
}

resource "aws_cloudwatch_event_rule" "canary" {
  count  = local.create_canary ? 1 : 0
  region = var.region

  name                = var.canary.name
  description         = "Runs the failover canary of ${var.name} in ${var.region}"
  schedule_expression = "rate(1 minute)"
}

resource "aws_cloudwatch_event_target" "canary" {
  count  = local.create_canary ? 1 : 0
  region = var.region

  rule = aws_cloudwatch_event_rule.canary[0].name
  arn  = aws_lambda_function.canary[0].arn
}

resource "aws_lambda_permission" "canary" {
  count  = local.create_canary ? 1 : 0
  region = var.region

  statement_id  = "AllowEventBridgeInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.canary[0].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.canary[0].arn
}

# Route 53 takes alarms on standard-resolution metrics with Average, Minimum, Maximum, Sum or SampleCount
# (Route 53 API, AlarmIdentifier: no extended statistics, no high resolution). Missing data (no run yet at the
# first deployment, or a metric delayed) changes nothing: the health check keeps its last known status.
resource "aws_cloudwatch_metric_alarm" "canary" {
  count  = local.create_canary ? 1 : 0
  region = var.region

  alarm_name          = "${var.name}-${var.region}-canary"
  alarm_description   = "The failover canary of ${var.name} failed in ${var.region}: Route 53 sends callers elsewhere."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.canary[0].function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = var.health_check.failing_minutes
  datapoints_to_alarm = var.health_check.failing_minutes
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# The region's own answers: a share of 5xx (503 for a dependency that does not answer, lambdas/runtime)
# while callers are served. Anonymous floods are 4xx (401, 403, 429) and never raise it.
resource "aws_cloudwatch_metric_alarm" "failover_error_rate" {
  region = var.region

  alarm_name          = "${var.name}-${var.region}-failover-5xx-rate"
  alarm_description   = "More than ${var.health_check.error_rate_threshold * 100}% of the requests of ${var.name} in ${var.region} got a 5xx for ${var.health_check.failing_minutes} minutes: Route 53 sends callers elsewhere."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = local.api_dimensions
  statistic           = "Average"
  period              = 60
  evaluation_periods  = var.health_check.failing_minutes
  datapoints_to_alarm = var.health_check.failing_minutes
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.health_check.error_rate_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_route53_health_check" "canary" {
  count = local.create_domain && local.create_canary ? 1 : 0

  type                            = "CLOUDWATCH_METRIC"
  cloudwatch_alarm_name           = aws_cloudwatch_metric_alarm.canary[0].alarm_name
  cloudwatch_alarm_region         = var.region
  insufficient_data_health_status = "LastKnownStatus"

  tags = {
    Name = "${var.name}-${var.region}-canary"
  }
}

resource "aws_route53_health_check" "error_rate" {
  count = local.create_domain ? 1 : 0

  type                            = "CLOUDWATCH_METRIC"
  cloudwatch_alarm_name           = aws_cloudwatch_metric_alarm.failover_error_rate.alarm_name
  cloudwatch_alarm_region         = var.region
  insufficient_data_health_status = "Healthy"

  tags = {
    Name = "${var.name}-${var.region}-error-rate"
  }
}

# The region is healthy while every child is: a calculated check (Route 53 developer guide,
# health-checks-creating-values, "Health checks that monitor other health checks"). The latency record
# names this one.
resource "aws_route53_health_check" "this" {
  count = local.create_domain ? 1 : 0

  type                   = "CALCULATED"
  child_health_threshold = length(concat(aws_route53_health_check.canary[*].id, aws_route53_health_check.error_rate[*].id))
  child_healthchecks     = concat(aws_route53_health_check.canary[*].id, aws_route53_health_check.error_rate[*].id)

  tags = {
    Name = "${var.name}-${var.region}"
  }
}
