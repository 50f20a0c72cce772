# lambda_settings.snap_start (Lambda SnapStart for Python): off by default. Either way every function
# publishes versions and the API invokes the alias `live` (make release shifts it). Plan only.

variables {
  release_settings = { codedeploy_role_arn = "arn:aws:iam::123456789012:role/tftest-codedeploy" }
  region           = "us-east-1"
  home_region      = "us-east-1"
  name             = "tftest"
  openapi_path     = "../api/openapi.aws.json"
  table_name       = "tftest"
  secret_name      = "tftest/app"
  user_pool_arn    = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_EXAMPLE"
  kms_key_arn      = "arn:aws:kms:us-east-1:123456789012:key/mrk-00000000000000000000000000000000"
  operations       = jsondecode(file("../api/routes.json")).operations
  functions        = { for id, op in jsondecode(file("../api/routes.json")).operations : id => { name = "tftest-${id}", log_group_name = "/aws/lambda/tftest-${id}", role_arn = "arn:aws:iam::123456789012:role/tftest-${id}" } }
}

run "snap_start_is_off_by_default_and_the_api_still_invokes_an_alias" {
  command = plan
  module {
    source = "./modules/regional"
  }
  assert {
    condition     = alltrue([for f in aws_lambda_function.this : f.publish && length(f.snap_start) == 0])
    error_message = "Without snap_start every function still publishes its versions (the alias serves published versions), none has SnapStart."
  }
  assert {
    condition     = toset(keys(aws_lambda_alias.this)) == toset(keys(jsondecode(file("../api/routes.json")).operations))
    error_message = "Every operation's function has an alias, SnapStart or not."
  }
  assert {
    condition     = alltrue([for p in aws_lambda_permission.this : p.qualifier == "live"])
    error_message = "The permissions are for the alias, SnapStart or not, so turning SnapStart on or off does not replace them."
  }
}

run "snap_start_publishes_versions_and_invokes_an_alias" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    lambda_settings = { snap_start = true, runtime = "python3.12" }
  }
  assert {
    condition     = alltrue([for f in aws_lambda_function.this : f.publish && f.snap_start[0].apply_on == "PublishedVersions"])
    error_message = "With snap_start every function publishes its versions with SnapStart on them."
  }
  assert {
    condition     = toset(keys(aws_lambda_alias.this)) == toset(keys(jsondecode(file("../api/routes.json")).operations))
    error_message = "With snap_start every operation's function has an alias."
  }
  assert {
    condition     = alltrue([for id, alias in aws_lambda_alias.this : alias.name == "live" && alias.function_name == "tftest-${id}" && alias.region == "us-east-1"])
    error_message = "Each alias is `live`, on its own function, in the module's region."
  }
  assert {
    condition     = alltrue([for id, p in aws_lambda_permission.this : p.qualifier == "live" && p.function_name == "tftest-${id}"])
    error_message = "With snap_start API Gateway may invoke the alias (the permission's qualifier), which is what it calls."
  }
}

run "snap_start_refuses_python_before_3_12" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    lambda_settings = { snap_start = true, runtime = "python3.11" }
  }
  expect_failures = [var.lambda_settings]
}

run "snap_start_refuses_a_runtime_that_is_not_python" {
  command = plan
  module {
    source = "./modules/regional"
  }
  variables {
    lambda_settings = { snap_start = true, runtime = "nodejs22.x" }
  }
  expect_failures = [var.lambda_settings]
}
