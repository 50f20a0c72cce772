# lambda_settings.snap_start applied against the offline stand-in providers (placeholder values shaped
# like AWS's: an alias ARN is function:<name>:<alias>), so the rendered REST API body can be asserted.
# With real providers the harness skips this file: it would deploy.

variables {
  release_settings = { codedeploy_role_arn = "arn:aws:iam::123456789012:role/tftest-codedeploy" }
  routes           = "../api/routes.json"
}

run "snap_start_integrations_call_the_aliases" {
  command = apply

  module {
    source = "./modules/regional"
  }

  variables {
    region          = "us-east-2"
    home_region     = "us-east-1"
    name            = "tftest"
    openapi_path    = "../api/openapi.aws.json"
    operations      = jsondecode(file(var.routes)).operations
    functions       = { for id, op in jsondecode(file(var.routes)).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
    table_name      = "tftest"
    secret_name     = "tftest/app"
    user_pool_arn   = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_EXAMPLE"
    kms_key_arn     = "arn:aws:kms:us-east-2:123456789012:key/mrk-00000000000000000000000000000000"
    lambda_settings = { snap_start = true }
  }

  assert {
    condition     = alltrue([for id, alias in aws_lambda_alias.this : alias.function_version == aws_lambda_function.this[id].version])
    error_message = "Each alias points at the version its function just published."
  }

  assert {
    condition = alltrue([
      for id, alias in aws_lambda_alias.this :
      strcontains(aws_api_gateway_rest_api.this.body, "lambda:path/2015-03-31/functions/${alias.arn}/invocations")
    ])
    error_message = "Every integration URI of the document must call its function's alias."
  }

  assert {
    condition = alltrue([
      for function in aws_lambda_function.this :
      !strcontains(aws_api_gateway_rest_api.this.body, "functions/${function.arn}/invocations")
    ])
    error_message = "No integration may call the unqualified function ($LATEST has no snapshot)."
  }
}
