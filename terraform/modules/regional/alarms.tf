################################################################################
# Alarms: 5xx rate and p99 latency of the stage, throttles of each function
################################################################################

locals {
  alarm_actions = concat(aws_sns_topic.this[*].arn, var.alarms.actions)
  # A CloudWatch alarm notifies only ARNs of its own region: the certificate-expiry alarm of an EDGE domain
  # outside us-east-1 is in us-east-1 and takes alarms.certificate_actions instead.
  certificate_alarm_actions = local.certificate_region == var.region ? local.alarm_actions : var.alarms.certificate_actions
  api_dimensions = {
    ApiName = aws_api_gateway_rest_api.this.name
    Stage   = aws_api_gateway_stage.this.stage_name
  }
}

resource "aws_sns_topic" "this" {
  count  = var.alarms.create_topic ? 1 : 0
  region = var.region

  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
}

# 5XXError is 1 or 0 per request, so its average is the error rate.
resource "aws_cloudwatch_metric_alarm" "server_error_rate" {
  region = var.region

  alarm_name          = "${var.name}-${var.region}-5xx-rate"
  alarm_description   = "Share of requests answered with a 5xx by ${var.name} in ${var.region}."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = local.api_dimensions
  statistic           = "Average"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  datapoints_to_alarm = var.alarms.datapoints_to_alarm
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.error_rate_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "latency_p99" {
  region = var.region

  alarm_name          = "${var.name}-${var.region}-latency-p99"
  alarm_description   = "p99 latency (ms) of ${var.name} in ${var.region}."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = local.api_dimensions
  extended_statistic  = "p99"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  datapoints_to_alarm = var.alarms.datapoints_to_alarm
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.latency_p99_threshold_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  for_each = var.operations
  region   = var.region

  alarm_name          = "${aws_lambda_function.this[each.key].function_name}-${var.region}-throttles"
  alarm_description   = "Throttled invocations of ${aws_lambda_function.this[each.key].function_name} in ${var.region}."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.this[each.key].function_name }
  statistic           = "Sum"
  period              = var.alarms.period_seconds
  evaluation_periods  = var.alarms.evaluation_periods
  datapoints_to_alarm = var.alarms.datapoints_to_alarm
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarms.throttles_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Route 53 HTTPS health checks do not validate certificates (Route 53 developer guide,
# dns-failover-determining-health-of-endpoints), so an expiring certificate of the custom domain
# is alarmed on ACM's own metric (AWS/CertificateManager DaysToExpiry, published daily).
resource "aws_cloudwatch_metric_alarm" "certificate_expiry" {
  count  = local.create_domain ? 1 : 0
  region = local.certificate_region

  alarm_name          = "${var.name}-${var.region}-certificate-expiry"
  alarm_description   = "The custom domain certificate of ${var.name} in ${var.region} expires within 30 days (ACM renewal failed?)."
  namespace           = "AWS/CertificateManager"
  metric_name         = "DaysToExpiry"
  dimensions          = { CertificateArn = var.domain.certificate_arn }
  statistic           = "Minimum"
  period              = 86400
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = 30
  # Not "breaching": ACM publishes DaysToExpiry once a day, so a new deployment would alarm until the first
  # datapoint. A certificate that stops reporting leaves the alarm in INSUFFICIENT_DATA (README: alarms).
  treat_missing_data = "missing"
  alarm_actions      = local.certificate_alarm_actions
  ok_actions         = local.certificate_alarm_actions
}

# EDGE outside us-east-1: the certificate and its alarm are in us-east-1, where neither the kit's topic nor
# alarms.actions (this region's) may be named.
check "certificate_alarm_actions" {
  assert {
    condition     = !local.create_domain || local.certificate_region == var.region || length(var.alarms.certificate_actions) > 0 || (!var.alarms.create_topic && length(var.alarms.actions) == 0)
    error_message = "The certificate-expiry alarm of ${var.region} is in ${local.certificate_region} (EDGE) and notifies no one: give it actions of ${local.certificate_region} in alarms.certificate_actions (modules/api: alarms.actions[\"${local.certificate_region}\"])."
  }
}
