################################################################################
# WAF: an optional web ACL of the kit's own, or one given by ARN
################################################################################

locals {
  web_acl_arn = var.waf.create ? aws_wafv2_web_acl.this[0].arn : var.web_acl_arn
}

# One rate-based rule per source IP. A REGIONAL ACL is the only kind a stage takes (AWS WAF API,
# AssociateWebACL: CloudFront distributions take theirs in their own configuration). Route 53's
# checkers come from many addresses, each far below any sensible limit, and /health keeps its own
# stage throttle (aws_api_gateway_method_settings.health), so this rule never answers them.
resource "aws_wafv2_web_acl" "this" {
  count  = var.waf.create ? 1 : 0
  region = var.region

  #checkov:skip=CKV_AWS_192:The Log4j rule group (AWSManagedRulesKnownBadInputsRuleSet) guards Java backends; every function is Python, and its capacity and per-request price stay the operator's choice (they can add it with web_acl_arn and an ACL of their own).

  name = var.name
  # CreateWebACL Description: ^[\w+=:#@/\-,\.][\w+=:#@/\-,\.\s]+[\w+=:#@/\-,\.]$, no parentheses (the
  # provider checks only the length; devtools/tfoffline/guards.py repeats the pattern).
  description = "${var.name}: requests per source IP in ${var.region}"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-per-ip"
    priority = 0

    action {
      dynamic "block" {
        for_each = var.waf.action == "block" ? [true] : []
        content {}
      }
      dynamic "count" {
        for_each = var.waf.action == "count" ? [true] : []
        content {}
      }
    }

    statement {
      rate_based_statement {
        aggregate_key_type    = "IP"
        limit                 = var.waf.rate_limit
        evaluation_window_sec = var.waf.evaluation_window_sec
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  count  = var.waf.create || var.web_acl_arn != null ? 1 : 0
  region = var.region

  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = local.web_acl_arn
}

# WAF writes only to log groups named aws-waf-logs-* (WAF developer guide, logging-cw-logs).
resource "aws_cloudwatch_log_group" "waf" {
  count  = var.waf.create ? 1 : 0
  region = var.region

  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
}

# Only the requests the rule blocked or counted: allowed traffic is in the access log already,
# and WAF logs are billed per request. WAF logs every header, so the bearer token is redacted.
resource "aws_wafv2_web_acl_logging_configuration" "this" {
  count  = var.waf.create ? 1 : 0
  region = var.region

  resource_arn            = aws_wafv2_web_acl.this[0].arn
  log_destination_configs = [aws_cloudwatch_log_group.waf[0].arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  logging_filter {
    default_behavior = "DROP"

    filter {
      behavior    = "KEEP"
      requirement = "MEETS_ANY"

      condition {
        action_condition {
          action = "BLOCK"
        }
      }
      condition {
        action_condition {
          action = "COUNT"
        }
      }
    }
  }
}
