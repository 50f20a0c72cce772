# Finding 6: the web ACL the regional module creates (waf.create) and the plan-time refusals of its
# inputs. Plan only; the ACL's schema is the hand-written supplement of the offline harness
# (devtools/tfoffline/README.md, "Provider schemas").

variables {
  release_settings = { codedeploy_role_arn = "arn:aws:iam::123456789012:role/tftest-codedeploy" }
  region           = "us-east-1"
  home_region      = "us-east-1"
  name             = "tftest"
  openapi_path     = "../api/openapi.aws.json"
  operations       = jsondecode(file("../api/routes.json")).operations
  functions        = { for id, op in jsondecode(file("../api/routes.json")).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
  table_name       = "tftest"
  secret_name      = "tftest/app"
  user_pool_arn    = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_EXAMPLE"
  kms_key_arn      = "arn:aws:kms:us-east-1:123456789012:key/mrk-00000000000000000000000000000000"
}

run "waf_created" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    waf = { create = true }
  }
  assert {
    condition     = length(aws_wafv2_web_acl.this) == 1 && aws_wafv2_web_acl.this[0].scope == "REGIONAL" && length(aws_wafv2_web_acl.this[0].default_action[0].allow) == 1
    error_message = "One REGIONAL web ACL that allows by default."
  }
  assert {
    condition = (
      one(aws_wafv2_web_acl.this[0].rule).statement[0].rate_based_statement[0].limit == 2000 &&
      one(aws_wafv2_web_acl.this[0].rule).statement[0].rate_based_statement[0].evaluation_window_sec == 300 &&
      one(aws_wafv2_web_acl.this[0].rule).statement[0].rate_based_statement[0].aggregate_key_type == "IP"
    )
    error_message = "One rate-based rule per source IP: 2000 requests in 300 s by default."
  }
  assert {
    condition     = length(one(aws_wafv2_web_acl.this[0].rule).action[0].block) == 1 && length(one(aws_wafv2_web_acl.this[0].rule).action[0].count) == 0
    error_message = "The rule blocks by default."
  }
  assert {
    condition = alltrue([
      for config in [aws_wafv2_web_acl.this[0].visibility_config[0], one(aws_wafv2_web_acl.this[0].rule).visibility_config[0]] :
      config.cloudwatch_metrics_enabled && config.sampled_requests_enabled
    ])
    error_message = "CloudWatch metrics and sampled requests are on for the ACL and its rule."
  }
  assert {
    condition     = length(aws_wafv2_web_acl_association.this) == 1 && length(aws_wafv2_web_acl_logging_configuration.this) == 1
    error_message = "The ACL is associated with the stage and logs what it blocks or counts."
  }
  assert {
    condition     = aws_wafv2_web_acl_logging_configuration.this[0].redacted_fields[0].single_header[0].name == "authorization"
    error_message = "WAF logs must not hold the callers' bearer tokens."
  }
  assert {
    condition     = startswith(aws_cloudwatch_log_group.waf[0].name, "aws-waf-logs-") && aws_cloudwatch_log_group.waf[0].kms_key_id == var.kms_key_arn
    error_message = "WAF logs go to an encrypted aws-waf-logs-* group (the only names WAF writes to)."
  }
}

run "waf_count_mode" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    waf = { create = true, action = "count", rate_limit = 100, evaluation_window_sec = 60 }
  }
  assert {
    condition     = length(one(aws_wafv2_web_acl.this[0].rule).action[0].count) == 1 && length(one(aws_wafv2_web_acl.this[0].rule).action[0].block) == 0
    error_message = "action = \"count\" only counts."
  }
  assert {
    condition     = one(aws_wafv2_web_acl.this[0].rule).statement[0].rate_based_statement[0].limit == 100 && one(aws_wafv2_web_acl.this[0].rule).statement[0].rate_based_statement[0].evaluation_window_sec == 60
    error_message = "rate_limit and evaluation_window_sec reach the rule."
  }
}

run "waf_off_by_default" {
  command = plan
  module {
    source = "./modules/regional"
  }
  assert {
    condition     = length(aws_wafv2_web_acl.this) == 0 && length(aws_wafv2_web_acl_association.this) == 0 && output.web_acl_arn == null
    error_message = "No web ACL unless asked for."
  }
}

run "waf_rate_limit_below_ten" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    waf = { create = true, rate_limit = 5 }
  }
  expect_failures = [var.waf]
}

run "waf_rate_limit_not_whole" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    waf = { create = true, rate_limit = 99.5 }
  }
  expect_failures = [var.waf]
}

run "waf_window_not_offered" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    waf = { create = true, evaluation_window_sec = 180 }
  }
  expect_failures = [var.waf]
}

run "waf_action_allow" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    waf = { create = true, action = "allow" }
  }
  expect_failures = [var.waf]
}

run "waf_and_web_acl_arn_together" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    waf         = { create = true }
    web_acl_arn = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/rate/0000-1111"
  }
  expect_failures = [var.waf]
}
