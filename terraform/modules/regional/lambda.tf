################################################################################
# Functions: one per operation of the route manifest
################################################################################

locals {
  # A path parameter stands for any value in the execute-api ARN: /items/{id} -> /items/*.
  permission_paths = { for operation_id, operation in var.operations : operation_id => replace(operation.path, "/\\{[^}/]+\\}/", "*") }

  # What API Gateway invokes (the document's function_arns): always the alias, whose ARN stays the same
  # when a version is published, so a release moves traffic (CodeDeploy, release.tf) without a new
  # document or permission, and turning SnapStart on or off no longer replaces the permissions.
  integration_arns = { for operation_id, alias in aws_lambda_alias.this : operation_id => alias.arn }
}

resource "aws_cloudwatch_log_group" "function" {
  for_each = var.operations
  region   = var.region

  name              = var.functions[each.key].log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_lambda_function" "this" {
  for_each = var.operations
  region   = var.region

  #checkov:skip=CKV_AWS_116:API Gateway invokes the functions synchronously; a dead-letter queue only receives failed asynchronous invocations.
  #checkov:skip=CKV_AWS_117:The functions reach only DynamoDB, Secrets Manager and X-Ray through their public endpoints; a VPC would add NAT or endpoints for nothing.
  #checkov:skip=CKV_AWS_272:Packages are built reproducibly by `make package` and deployed by file; code signing needs S3-hosted packages signed by AWS Signer.
  #checkov:skip=CKV_AWS_115:Reserving is opt-in (lambda_settings.reserved_concurrency): every reservation takes from the account's regional pool, which must keep 100 unreserved, so a fixed default would fail on low-quota accounts; check.lambda_concurrency warns at plan when the throttle could exceed the quota or the reservations would leave fewer than 100 unreserved.

  function_name                  = var.functions[each.key].name
  description                    = "${upper(each.value.method)} ${each.value.path}"
  role                           = var.functions[each.key].role_arn
  handler                        = each.value.handler
  runtime                        = var.lambda_settings.runtime
  architectures                  = [var.lambda_settings.architecture]
  memory_size                    = var.lambda_settings.memory_size
  timeout                        = var.lambda_settings.timeout
  reserved_concurrent_executions = var.lambda_settings.reserved_concurrency
  # The environment (kit names plus lambda_settings.environment) is encrypted with the kit's key.
  kms_key_arn      = var.kms_key_arn
  filename         = "${var.package_dir}/${each.value.package}"
  source_code_hash = filebase64sha256("${var.package_dir}/${each.value.package}")
  # Every code or configuration change publishes a version: the alias serves published versions only,
  # so a release can shift traffic between two of them (CodeDeploy, release.tf) and roll back to the
  # one before; SnapStart snapshots published versions only, $LATEST never (snapstart.html).
  publish = true

  environment {
    # Then the ARN of each resource its calls name (lambdas/aws.py resource_arn), this region's.
    variables = merge(var.lambda_settings.environment, { for call in each.value.calls : call.environment => var.resource_arns[call.resource] }, {
      TABLE_NAME  = var.table_name
      SECRET_ID   = var.secret_name
      LOG_LEVEL   = var.lambda_settings.log_level
      HOME_REGION = var.home_region
      # EVENTUAL or STRONG: on a STRONG (MRSC) table home-region operations run in this region's replica.
      TABLE_CONSISTENCY = var.table_consistency_mode
    })
  }

  logging_config {
    # The handlers already write one JSON object per line.
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  tracing_config {
    mode = "Active"
  }

  dynamic "snap_start" {
    for_each = var.lambda_settings.snap_start ? ["PublishedVersions"] : []

    content {
      apply_on = snap_start.value
    }
  }

  # Publishing waits for the version to become Active, which with SnapStart includes the snapshot;
  # the provider's default (10 minutes) has been hit (hashicorp/terraform-provider-aws#43973).
  timeouts {
    create = var.release_settings.publish_timeout
    update = var.release_settings.publish_timeout
  }
}

# The API invokes this alias. Terraform creates it on the first published version; from then on
# `make release` moves it (a CodeDeploy deployment: a canary weight, then all, or back on an alarm,
# release.tf), so an apply only stages a new version and never shifts traffic by itself.
resource "aws_lambda_alias" "this" {
  for_each = var.operations
  region   = var.region

  name             = var.release_settings.alias_name
  description      = "The published version the API invokes; make release moves it (CodeDeploy)"
  function_name    = aws_lambda_function.this[each.key].function_name
  function_version = aws_lambda_function.this[each.key].version

  lifecycle {
    # CodeDeploy owns the version and the weights once the alias exists (AppSpec CurrentVersion ->
    # TargetVersion, codedeploy userguide reference-appspec-file-structure-resources): an apply that
    # reset them would undo a canary or a rollback.
    ignore_changes = [function_version, routing_config]
  }
}

# Only this API's stage may invoke the function, and only for its own method and path.
resource "aws_lambda_permission" "this" {
  for_each = var.operations
  region   = var.region

  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this[each.key].function_name
  qualifier     = aws_lambda_alias.this[each.key].name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/${var.stage_name}/${upper(each.value.method)}${local.permission_paths[each.key]}"
}

# Stage throttling bounds the request rate of each method, not concurrency: at the limit a
# function needs about rate x duration executions, up to rate x timeout when a dependency hangs.
# Beyond the region's concurrency quota (1,000 by default, Lambda quotas page) Lambda throttles
# every function of the account there. Checked per function (reserved_concurrency caps it); the
# methods together can reach a multiple of it (README: concurrency).
check "lambda_concurrency" {
  assert {
    condition     = coalesce(var.lambda_settings.reserved_concurrency, var.throttling.rate_limit * var.lambda_settings.timeout) <= var.lambda_settings.concurrency_quota
    error_message = "In ${var.region} one function may need up to ${coalesce(var.lambda_settings.reserved_concurrency, var.throttling.rate_limit * var.lambda_settings.timeout)} concurrent executions at the stage throttle (throttling.rate_limit x lambda_settings.timeout), above lambda_settings.concurrency_quota = ${var.lambda_settings.concurrency_quota}: set lambda_settings.reserved_concurrency, lower the throttle or the timeout, or raise the quota."
  }
  # "You can reserve up to the Unreserved account concurrency value ... minus 100 for functions that
  # don't have reserved concurrency" (Lambda guide, configuration-concurrency.html): beyond that
  # PutFunctionConcurrency fails at apply. Every function of this region reserves the same amount.
  assert {
    condition     = var.lambda_settings.reserved_concurrency == null || length(var.operations) * coalesce(var.lambda_settings.reserved_concurrency, 0) <= var.lambda_settings.concurrency_quota - 100
    error_message = "In ${var.region} the ${length(var.operations)} functions would reserve ${length(var.operations)} x ${coalesce(var.lambda_settings.reserved_concurrency, 0)} = ${length(var.operations) * coalesce(var.lambda_settings.reserved_concurrency, 0)} concurrent executions, above lambda_settings.concurrency_quota - 100 = ${var.lambda_settings.concurrency_quota - 100} (Lambda keeps 100 unreserved; the apply would fail): lower lambda_settings.reserved_concurrency (or region_settings' lambda_reserved_concurrency) or raise the quota."
  }
}
