# Mistakes the provider would only report at apply (or never), refused at plan by the modules'
# validations, preconditions and checks. Each run names what must fail; the message is the
# validation's error_message (tests/terraform/test_tf_findings.py shows them).

variables {
  name           = "tftest"
  regions        = ["us-east-1", "us-east-2", "us-west-2"]
  primary_region = "us-east-1"
  routes         = "../api/routes.json"
}

# Finding 1: DynamoDB does not support TTL on multi-Region strongly consistent tables.
run "strong_consistency_with_ttl" {
  command = plan
  module {
    source = "./modules/global"
  }
  variables {
    operations           = jsondecode(file(var.routes)).operations
    resource_server      = jsondecode(file(var.routes)).resource_server
    pre_token_generation = merge(jsondecode(file(var.routes)).triggers.pre_token_generation, { package_dir = "../build/lambdas" })
    table                = { consistency_mode = "STRONG", enable_ttl = true }
  }
  expect_failures = [var.table]
}

# Finding 3: a DynamoDB table name needs 3-255 characters.
run "name_too_short_for_a_table" {
  command = plan
  module {
    source = "./modules/global"
  }
  variables {
    name                 = "ab"
    operations           = jsondecode(file(var.routes)).operations
    resource_server      = jsondecode(file(var.routes)).resource_server
    pre_token_generation = merge(jsondecode(file(var.routes)).triggers.pre_token_generation, { package_dir = "../build/lambdas" })
  }
  expect_failures = [var.name]
}

# Finding 3: "<name>-<operation_id>" names a role and a function: 64 characters at most.
run "function_name_over_64_characters" {
  command = plan
  module {
    source = "./modules/global"
  }
  variables {
    name = "a-twenty-four-char-name0"
    operations = {
      "an_operation_id_of_forty_characters_xxxx" = { method = "get", path = "/x", access = [], table_modes = ["EVENTUAL"], grants = {} }
    }
    resource_server      = jsondecode(file(var.routes)).resource_server
    pre_token_generation = merge(jsondecode(file(var.routes)).triggers.pre_token_generation, { package_dir = "../build/lambdas" })
  }
  expect_failures = [var.operations]
}

# Finding 11: DEVELOPER email needs a verified SES identity.
run "developer_email_without_ses_identity" {
  command = plan
  module {
    source = "./modules/global"
  }
  variables {
    operations           = jsondecode(file(var.routes)).operations
    resource_server      = jsondecode(file(var.routes)).resource_server
    pre_token_generation = merge(jsondecode(file(var.routes)).triggers.pre_token_generation, { package_dir = "../build/lambdas" })
    cognito              = { email = { sending_account = "DEVELOPER" } }
  }
  expect_failures = [var.cognito]
}

# Finding 2: the mode the table was created with is pinned.
run "table_created_eventual" {
  command = apply
  module {
    source = "./modules/global"
  }
  variables {
    operations           = jsondecode(file(var.routes)).operations
    resource_server      = jsondecode(file(var.routes)).resource_server
    pre_token_generation = merge(jsondecode(file(var.routes)).triggers.pre_token_generation, { package_dir = "../build/lambdas" })
    table                = { enable_deletion_protection = false }
  }
  assert {
    condition     = terraform_data.table_consistency_mode.output == "EVENTUAL"
    error_message = "The table's creation mode must be recorded."
  }
}

run "consistency_mode_change_refused" {
  command = plan
  module {
    source = "./modules/global"
  }
  variables {
    operations           = jsondecode(file(var.routes)).operations
    resource_server      = jsondecode(file(var.routes)).resource_server
    pre_token_generation = merge(jsondecode(file(var.routes)).triggers.pre_token_generation, { package_dir = "../build/lambdas" })
    table                = { enable_deletion_protection = false, consistency_mode = "STRONG" }
  }
  expect_failures = [aws_dynamodb_table.this]
}

# The pre token generation trigger (V2_0) customizes access tokens: Essentials or Plus only.
run "lite_feature_plan_cannot_run_the_trigger" {
  command = plan
  module {
    source = "./modules/global"
  }
  variables {
    operations           = jsondecode(file(var.routes)).operations
    resource_server      = jsondecode(file(var.routes)).resource_server
    pre_token_generation = merge(jsondecode(file(var.routes)).triggers.pre_token_generation, { package_dir = "../build/lambdas" })
    cognito              = { user_pool_tier = "LITE" }
  }
  expect_failures = [var.cognito]
}

# Round 2, finding 10: Cognito refuses a hosted-UI prefix containing aws, amazon or cognito; the default
# prefix is "<name>-<account id>".
run "hosted_ui_prefix_with_a_reserved_word" {
  command = plan
  module {
    source = "./modules/global"
  }
  variables {
    name                 = "aws-shop"
    operations           = jsondecode(file(var.routes)).operations
    resource_server      = jsondecode(file(var.routes)).resource_server
    pre_token_generation = merge(jsondecode(file(var.routes)).triggers.pre_token_generation, { package_dir = "../build/lambdas" })
  }
  expect_failures = [var.cognito]
}
