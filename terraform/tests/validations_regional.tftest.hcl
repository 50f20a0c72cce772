# The regional module's plan-time guards (findings 6, 16, 17). Plan only.

variables {
  release_settings = { codedeploy_role_arn = "arn:aws:iam::123456789012:role/tftest-codedeploy" }
  region           = "us-east-1"
  home_region      = "us-east-1"
  name             = "tftest"
  openapi_path     = "../api/openapi.aws.json"
  routes           = "../api/routes.json"
  table_name       = "tftest"
  secret_name      = "tftest/app"
  user_pool_arn    = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_EXAMPLE"
  kms_key_arn      = "arn:aws:kms:us-east-1:123456789012:key/mrk-00000000000000000000000000000000"
}

# Finding 16: keys Lambda reserves, or the kit's own, cannot be set.
run "environment_overrides_a_reserved_key" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    operations      = jsondecode(file(var.routes)).operations
    functions       = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
    lambda_settings = { environment = { AWS_REGION = "eu-west-1" } }
  }
  expect_failures = [var.lambda_settings]
}

run "environment_key_with_a_dash" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    operations      = jsondecode(file(var.routes)).operations
    functions       = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
    lambda_settings = { environment = { "FEATURE-FLAG" = "on" } }
  }
  expect_failures = [var.lambda_settings]
}

# Finding 6: a web ACL must be a regional ACL of the stage's own region.
run "web_acl_of_another_region" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    operations  = jsondecode(file(var.routes)).operations
    functions   = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
    web_acl_arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/rate/0000-1111"
  }
  expect_failures = [var.web_acl_arn]
}

# Finding 6: the health operation has its own throttle, and a web ACL is associated with the stage.
run "health_throttle_and_web_acl" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    operations  = jsondecode(file(var.routes)).operations
    functions   = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
    web_acl_arn = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/rate/0000-1111"
    canary      = merge(jsondecode(file(var.routes)).triggers.canary, { name = "tftest-failover-canary", log_group_name = "/aws/lambda/tftest-failover-canary", role_arn = "arn:aws:iam::123456789012:role/tftest-failover-canary" })
  }
  assert {
    condition     = aws_api_gateway_method_settings.health[0].method_path == "${trimprefix(jsondecode(file(var.routes)).triggers.canary.path, "/")}/GET" && aws_api_gateway_method_settings.health[0].settings[0].throttling_rate_limit == 10
    error_message = "The health operation must have its own, low throttle."
  }
  assert {
    condition     = length(aws_wafv2_web_acl_association.this) == 1
    error_message = "The web ACL must be associated with the stage."
  }
  assert {
    condition     = alltrue([for function in aws_lambda_function.this : function.kms_key_arn == var.kms_key_arn])
    error_message = "Every function's environment must be encrypted with the kit's key (finding 16)."
  }
}

# Finding 17: a throttle x timeout above the concurrency quota is reported.
run "throttle_beyond_the_concurrency_quota" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    operations      = jsondecode(file(var.routes)).operations
    functions       = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
    throttling      = { rate_limit = 500 }
    lambda_settings = { timeout = 10 }
  }
  expect_failures = [check.lambda_concurrency]
}

# Finding 17: reservations that leave fewer than 100 unreserved executions fail at apply.
run "reservations_beyond_the_unreserved_minimum" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    operations      = jsondecode(file(var.routes)).operations
    functions       = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
    lambda_settings = { reserved_concurrency = 200 }
  }
  expect_failures = [check.lambda_concurrency]
}

# Round 2, finding 6: a CloudWatch alarm notifies only a topic of its own region ("Invalid region").
run "alarm_actions_of_another_region" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    region     = "eu-west-1"
    operations = jsondecode(file(var.routes)).operations
    functions  = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
    alarms     = { actions = ["arn:aws:sns:us-east-1:123456789012:ops"] }
  }
  expect_failures = [var.alarms]
}

# The health operation is where the contract declares it (the manifest's triggers.canary.path), not /health:
# its throttle and the canary's front-door request follow it. Without one there is neither (the API of
# examples/orders): Route 53 then watches the 5xx share alone (failover.tf).
run "health_operation_elsewhere" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    operations = jsondecode(file(var.routes)).operations
    functions  = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
    canary     = merge(jsondecode(file(var.routes)).triggers.canary, { path = "/v1/status", name = "tftest-failover-canary", log_group_name = "/aws/lambda/tftest-failover-canary", role_arn = "arn:aws:iam::123456789012:role/tftest-failover-canary" })
  }
  assert {
    condition     = aws_api_gateway_method_settings.health[0].method_path == "v1/status/GET"
    error_message = "The health operation's throttle must follow its path."
  }
  assert {
    condition     = aws_lambda_function.canary[0].environment[0].variables.CANARY_PATH == "/live/v1/status"
    error_message = "Without a domain, the canary requests the health operation's path on the stage's invoke URL."
  }
}

run "no_health_operation" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    operations = jsondecode(file(var.routes)).operations
    functions  = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
  }
  assert {
    condition     = length(aws_api_gateway_method_settings.health) == 0 && length(aws_lambda_function.canary) == 0
    error_message = "Without a health operation there is no health throttle and no canary."
  }
}
