# The global and regional modules on their own, applied against the offline stand-in providers
# (make validate, devtools/tfoffline): applied values are placeholders shaped like the real ones, so
# whole documents (policies, the REST API body) can be asserted. With real providers the harness
# skips this file: it would deploy.

variables {
  name    = "tftest"
  regions = ["us-east-1", "us-east-2", "us-west-2"]
  routes  = "../api/routes.json"
}

run "global" {
  command = apply

  module {
    source = "./modules/global"
  }

  variables {
    primary_region       = "us-east-1"
    operations           = jsondecode(file(var.routes)).operations
    resource_server      = jsondecode(file(var.routes)).resource_server
    pre_token_generation = merge(jsondecode(file(var.routes)).triggers.pre_token_generation, { package_dir = "../build/lambdas" })
    canary_operation_id  = jsondecode(file(var.routes)).triggers.canary.operation_id
  }

  assert {
    condition     = aws_dynamodb_table.this.region == "us-east-1"
    error_message = "The table's primary lives in the primary region."
  }

  assert {
    condition     = toset([for replica in aws_dynamodb_table.this.replica : replica.region_name]) == toset(["us-east-2", "us-west-2"])
    error_message = "Table replicas must be exactly the regions minus the primary."
  }

  assert {
    condition     = toset([for replica in aws_secretsmanager_secret.this.replica : replica.region]) == toset(["us-east-2", "us-west-2"])
    error_message = "Secret replicas must be exactly the regions minus the primary."
  }

  assert {
    condition     = toset(keys(aws_kms_replica_key.this)) == toset(["us-east-2", "us-west-2"])
    error_message = "KMS replica keys must be exactly the regions minus the primary."
  }

  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST" && aws_dynamodb_table.this.stream_view_type == "NEW_AND_OLD_IMAGES"
    error_message = "The table is on-demand with NEW_AND_OLD_IMAGES streams (docs/dev/interfaces.md)."
  }

  assert {
    condition     = toset(keys(aws_iam_role.function)) == toset(concat(keys(jsondecode(file(var.routes)).operations), ["triggers.canary"]))
    error_message = "One IAM role per operation of the route manifest, and the failover canary's."
  }

  # IAM policies are scoped: no wildcard actions, Resource "*" only where AWS allows nothing else (X-Ray).
  assert {
    condition = alltrue(flatten([
      for policy in aws_iam_role_policy.function : [
        for statement in jsondecode(policy.policy).Statement : [
          for action in flatten([statement.Action]) : !endswith(action, "*")
        ]
      ]
    ]))
    error_message = "Function policies must not use wildcard actions."
  }

  assert {
    condition = alltrue(flatten([
      for policy in aws_iam_role_policy.function : [
        for statement in jsondecode(policy.policy).Statement :
        statement.Sid == "WriteTraces" || !contains(flatten([statement.Resource]), "*")
      ]
    ]))
    error_message = "Only the X-Ray statement may use Resource \"*\"."
  }

  assert {
    condition = length(flatten([
      for policy in aws_iam_role_policy.function : [
        for statement in jsondecode(policy.policy).Statement : statement if startswith(statement.Sid, "UseTableIn")
      ]
    ])) > 0
    error_message = "Some function must use the table (else the next assertions prove nothing)."
  }

  # Each region's replica only for that region's function (lambda:SourceFunctionArn); home-region
  # actions only on the home replicas: the primary's, or every replica for entities with their own home
  # (the manifest's home_replicas = "entity": write to your Region).
  assert {
    condition = alltrue(flatten([
      for policy in aws_iam_role_policy.function : [
        for statement in jsondecode(policy.policy).Statement : (
          length(flatten([statement.Resource])) == 1 &&
          contains(values(output.table_arns), one(flatten([statement.Resource]))) &&
          alltrue([for arn in flatten([statement.Condition.ArnLike["lambda:SourceFunctionArn"]]) : startswith(arn, "arn:aws:lambda:${split(":", one(flatten([statement.Resource])))[3]}:")])
        ) if startswith(statement.Sid, "UseTableIn")
      ]
    ]))
    error_message = "Each regional table statement must name one replica and only that region's function."
  }

  assert {
    condition = alltrue(flatten([
      for name, policy in aws_iam_role_policy.function : [
        for statement in jsondecode(policy.policy).Statement :
        sort(flatten([statement.Resource])) == (
          try(jsondecode(file(var.routes)).operations[name].grants.EVENTUAL.home_replicas, "primary") == "entity"
          ? sort(values(output.table_arns)) : [output.table_arns["us-east-1"]]
        ) if statement.Sid == "UseHomeReplica"
      ]
    ]))
    error_message = "Home-region actions must be granted on the home replicas only."
  }

  assert {
    condition = alltrue([
      for operation_id, operation in jsondecode(file(var.routes)).operations :
      contains(operation.access, "dynamodb:PutItem") == strcontains(aws_iam_role_policy.function[operation_id].policy, "dynamodb:PutItem")
    ])
    error_message = "Exactly the operations with dynamodb:PutItem access may put items."
  }

  assert {
    condition = alltrue([
      for operation_id, operation in jsondecode(file(var.routes)).operations :
      contains(operation.access, "secretsmanager:GetSecretValue") == strcontains(aws_iam_role_policy.function[operation_id].policy, "secretsmanager:GetSecretValue")
    ])
    error_message = "Exactly the operations with secretsmanager:GetSecretValue access may read the secret."
  }

  assert {
    condition     = aws_secretsmanager_secret_version.this[0].secret_string_wo == null
    error_message = "The secret's value is write-only: it never reaches the state."
  }

  # The pre token generation trigger: with the pool in the primary region, V2_0 on an Essentials pool,
  # invocable by this pool only, and a role that may write its own log group only.
  assert {
    condition     = aws_lambda_function.pre_token_generation.region == "us-east-1" && aws_cloudwatch_log_group.pre_token_generation.region == "us-east-1"
    error_message = "The trigger and its log group live with the pool in the primary region."
  }

  assert {
    condition     = aws_cognito_user_pool.this.user_pool_tier == "ESSENTIALS" && aws_cognito_user_pool.this.lambda_config[0].pre_token_generation_config[0].lambda_version == "V2_0"
    error_message = "The pool runs the trigger as a V2_0 event, which needs the Essentials plan (the default)."
  }

  assert {
    condition     = aws_cognito_user_pool.this.lambda_config[0].pre_token_generation_config[0].lambda_arn == "arn:aws:lambda:us-east-1:${data.aws_caller_identity.current.account_id}:function:${aws_lambda_function.pre_token_generation.function_name}"
    error_message = "The pool names the trigger function by its ARN (Lambda's arn:aws:lambda:<region>:<account>:function:<name>)."
  }

  assert {
    condition = (
      aws_lambda_permission.pre_token_generation.principal == "cognito-idp.amazonaws.com" &&
      aws_lambda_permission.pre_token_generation.source_arn == aws_cognito_user_pool.this.arn &&
      aws_lambda_permission.pre_token_generation.source_account == data.aws_caller_identity.current.account_id
    )
    error_message = "Only this pool of this account may invoke the trigger."
  }

  assert {
    condition     = jsonencode([for statement in jsondecode(aws_iam_role_policy.pre_token_generation.policy).Statement : sort(flatten([statement.Action]))]) == jsonencode([["logs:CreateLogStream", "logs:PutLogEvents"]])
    error_message = "The trigger's role may write logs only (it calls no AWS API)."
  }

  assert {
    condition     = aws_lambda_function.pre_token_generation.environment[0].variables.APP_CLIENT_ID == aws_cognito_user_pool_client.this.id && aws_lambda_function.pre_token_generation.environment[0].variables.OPERATOR_CLIENT_ID == aws_cognito_user_pool_client.operator[0].id
    error_message = "The trigger tells the mobile app client from the operator client by their ids."
  }

  assert {
    condition     = toset(aws_cognito_user_pool_client.this.explicit_auth_flows) == toset(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    error_message = "The mobile client allows SRP and refresh; USER_PASSWORD_AUTH only when opted in."
  }
}

run "regional" {
  command = apply

  module {
    source = "./modules/regional"
  }

  variables {
    region        = "us-east-2"
    home_region   = "us-east-1"
    stage_name    = "v1"
    openapi_path  = "../api/openapi.aws.json"
    operations    = jsondecode(file(var.routes)).operations
    functions     = run.global.functions
    table_name    = run.global.table_name
    secret_name   = run.global.secret_name
    user_pool_arn = run.global.user_pool_arn
    kms_key_arn   = run.global.kms_key_arns["us-east-2"]
    # the global module's output, as modules/api passes it
    table_consistency_mode = run.global.table_consistency_mode
    domain = {
      name            = "api.example.com"
      hosted_zone_id  = "Z0123456789EXAMPLE"
      certificate_arn = "arn:aws:acm:us-east-2:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    }
    api_gateway_cloudwatch_role_arn = run.global.api_gateway_cloudwatch_role_arn
    release_settings                = { codedeploy_role_arn = run.global.codedeploy_role_arn }
    canary                          = merge(run.global.canary, jsondecode(file(var.routes)).triggers.canary)
  }

  # The handlers learn the table's mode (and the home region) from their environment.
  assert {
    condition = alltrue([
      for function in aws_lambda_function.this :
      function.environment[0].variables.TABLE_CONSISTENCY == "EVENTUAL" && function.environment[0].variables.HOME_REGION == "us-east-1"
    ])
    error_message = "Every function's environment must carry TABLE_CONSISTENCY and HOME_REGION."
  }

  # Resources per region: one function, log group and permission per operation, all in this region.
  assert {
    condition = alltrue([
      for resources in [aws_lambda_function.this, aws_cloudwatch_log_group.function, aws_lambda_permission.this] :
      toset(keys(resources)) == toset(keys(jsondecode(file(var.routes)).operations))
    ])
    error_message = "Each region needs a function, a log group and a permission per operation."
  }

  # Releases (release.tf): an alias and a CodeDeploy deployment group per operation, canary with rollback
  # on the region's own alarms, the alias serving the version the function published.
  assert {
    condition = alltrue([
      for operation_id, group in aws_codedeploy_deployment_group.this :
      group.app_name == aws_codedeploy_app.this.name && group.region == "us-east-2" &&
      group.deployment_config_name == "CodeDeployDefault.LambdaCanary10Percent5Minutes" &&
      group.service_role_arn == run.global.codedeploy_role_arn &&
      toset(group.auto_rollback_configuration[0].events) == toset(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]) &&
      contains(group.alarm_configuration[0].alarms, aws_cloudwatch_metric_alarm.server_error_rate.alarm_name) &&
      aws_lambda_alias.this[operation_id].function_version == aws_lambda_function.this[operation_id].version
    ]) && aws_codedeploy_app.this.compute_platform == "Lambda" && toset(keys(aws_codedeploy_deployment_group.this)) == toset(keys(jsondecode(file(var.routes)).operations))
    error_message = "Each operation needs an alias and a Lambda deployment group in its region, canary, rolled back on the region's 5xx alarm."
  }

  assert {
    condition = alltrue(concat(
      [for function in aws_lambda_function.this : function.region == "us-east-2"],
      [aws_api_gateway_rest_api.this.region == "us-east-2", aws_api_gateway_stage.this.region == "us-east-2"],
    ))
    error_message = "Every regional resource must be created in its own region."
  }

  # Every operation of the contract is in the REST API body, wired to its own function.
  assert {
    condition = alltrue([
      for operation_id, operation in jsondecode(file(var.routes)).operations :
      try(jsondecode(aws_api_gateway_rest_api.this.body).paths[operation.path][lower(operation.method)].operationId == operation_id, false)
    ])
    error_message = "Every operation of the route manifest must be in the REST API body."
  }

  assert {
    condition = alltrue([
      for operation_id, operation in jsondecode(file(var.routes)).operations :
      strcontains(
        jsondecode(aws_api_gateway_rest_api.this.body).paths[operation.path][lower(operation.method)]["x-amazon-apigateway-integration"].uri,
        "/functions/${aws_lambda_alias.this[operation_id].arn}/invocations",
      )
    ])
    error_message = "Every operation must integrate with its own function's alias (make release shifts it)."
  }

  assert {
    condition     = !strcontains(aws_api_gateway_rest_api.this.body, "$${function_arns") && !strcontains(aws_api_gateway_rest_api.this.body, "$${user_pool_arn")
    error_message = "Every template variable of the body must be substituted."
  }

  # Round 2, finding 1: Route 53 routes on alarms (the canary's and the 5xx share's), never on the public /health.
  assert {
    condition = (
      aws_route53_health_check.this[0].type == "CALCULATED" && aws_route53_health_check.this[0].child_health_threshold == 2 &&
      toset(aws_route53_health_check.this[0].child_healthchecks) == toset([aws_route53_health_check.canary[0].id, aws_route53_health_check.error_rate[0].id])
    )
    error_message = "The region's check must be healthy only while both alarm checks are."
  }

  assert {
    condition = alltrue([
      for check in [aws_route53_health_check.canary[0], aws_route53_health_check.error_rate[0]] :
      check.type == "CLOUDWATCH_METRIC" && check.cloudwatch_alarm_region == "us-east-2"
    ])
    error_message = "Both children watch an alarm of this region."
  }

  # Round 2, finding 2: the canary requests /health through this region's endpoint of the custom domain.
  assert {
    condition = (
      aws_lambda_function.canary[0].environment[0].variables.CANARY_HOST == aws_api_gateway_domain_name.this[0].regional_domain_name &&
      aws_lambda_function.canary[0].environment[0].variables.CANARY_SERVER_NAME == "api.example.com" &&
      aws_lambda_function.canary[0].environment[0].variables.CANARY_PATH == "/health"
    )
    error_message = "The canary's front door is the custom domain on this region's own endpoint."
  }

  assert {
    condition     = aws_lambda_function_event_invoke_config.canary[0].maximum_retry_attempts == 0 && aws_cloudwatch_event_target.canary[0].arn == aws_lambda_function.canary[0].arn
    error_message = "EventBridge runs the canary once a minute, never retried."
  }

  assert {
    condition     = contains(keys(jsondecode(aws_api_gateway_rest_api.this.body).paths), "/health")
    error_message = "The API must serve /health for the health check."
  }
}
