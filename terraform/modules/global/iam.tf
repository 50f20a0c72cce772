################################################################################
# IAM: one role per function, least privilege from the contract's `access` and `calls`
################################################################################

locals {
  # Each operation's `grants` for the table's mode are its policy's actions, by resource, as the contract
  # derived them once from its `access` (contract/compiled.py Grants; api/routes.json `grants`): this file
  # looks them up and derives nothing. variables.tf refuses a mode an operation has no grants for.
  functions = {
    for operation_id, operation in var.operations : operation_id => merge(operation.grants[var.table.consistency_mode], {
      calls          = operation.calls
      name           = "${var.name}-${operation_id}"
      log_group_name = "/aws/lambda/${var.name}-${operation_id}"
    })
  }

  # The failover canary (modules/regional failover.tf) runs the health operation's checks in-process: its
  # grants, under its own name. Keyed "triggers.canary": no operation_id has a dot.
  canary = var.canary_operation_id == null ? null : merge(local.functions[var.canary_operation_id], {
    # A hyphen no operation_id can hold (snake_case): an operation named `canary` keeps its own function and role.
    name           = "${var.name}-failover-canary"
    log_group_name = "/aws/lambda/${var.name}-failover-canary"
  })
  units = merge(local.functions, local.canary == null ? {} : { "triggers.canary" = local.canary })
}

data "aws_iam_policy_document" "lambda_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each = local.units

  name               = each.value.name
  description        = "Lambda ${each.key} of ${var.name} (every region)"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json
}

data "aws_iam_policy_document" "function" {
  for_each = local.units

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for region in var.regions : "arn:${local.partition}:logs:${region}:${local.account_id}:log-group:${each.value.log_group_name}:*"]
  }

  # X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level
  # permissions: AWS requires resource "*" for them.
  statement {
    sid       = "WriteTraces"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }

  # One role serves the function in every region; lambda:SourceFunctionArn (set by Lambda on the calls of
  # the function's code: Lambda developer guide, "Using source function ARN to control function access
  # behavior") ties each region's replica to that region's function. The guide does not say whether the
  # value carries a version or alias qualifier when the alias is invoked (API Gateway always invokes `live`), so
  # both the bare ARN and any qualified form of it match (ArnLike compares the resource part with `*`).
  dynamic "statement" {
    for_each = length(each.value.serving_table) > 0 ? var.regions : []

    content {
      sid       = "UseTableIn${replace(title(replace(statement.value, "-", " ")), " ", "")}"
      actions   = each.value.serving_table
      resources = [local.table_arns[statement.value]]

      condition {
        test     = "ArnLike"
        variable = "lambda:SourceFunctionArn"
        values = [
          "arn:${local.partition}:lambda:${statement.value}:${local.account_id}:function:${each.value.name}",
          "arn:${local.partition}:lambda:${statement.value}:${local.account_id}:function:${each.value.name}:*",
        ]
      }
    }
  }

  # Home-region actions (grants.home_table) on the home replicas (grants.home_replicas), from every region.
  dynamic "statement" {
    for_each = length(each.value.home_table) > 0 ? [each.value.home_table] : []

    content {
      sid       = "UseHomeReplica"
      actions   = statement.value
      resources = each.value.home_replicas == "entity" ? values(local.table_arns) : [local.table_arns[var.primary_region]]
    }
  }

  # The table is encrypted with the customer managed key: DynamoDB uses it on the caller's behalf.
  dynamic "statement" {
    for_each = length(each.value.table_key) > 0 ? [each.value.table_key] : []

    content {
      sid       = "UseKeyThroughDynamoDB"
      actions   = statement.value
      resources = values(local.kms_key_arns)

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for region in var.regions : "dynamodb.${region}.${local.dns_suffix}"]
      }
    }
  }

  # Calls to the team's own resources (api/routes.json `calls`): the declared actions on the resource's ARN
  # in each region (+ `under`, e.g. /invoices/* of a bucket), for that region's function only, as the table's.
  dynamic "statement" {
    for_each = flatten([for call in each.value.calls : [for region in var.regions : merge(call, { region = region })]])

    content {
      sid       = "${statement.value.sid}In${replace(title(replace(statement.value.region, "-", " ")), " ", "")}"
      actions   = statement.value.actions
      resources = ["${var.resources[statement.value.resource].arns[statement.value.region]}${statement.value.under}"]

      condition {
        test     = "ArnLike"
        variable = "lambda:SourceFunctionArn"
        values = [
          "arn:${local.partition}:lambda:${statement.value.region}:${local.account_id}:function:${each.value.name}",
          "arn:${local.partition}:lambda:${statement.value.region}:${local.account_id}:function:${each.value.name}:*",
        ]
      }
    }
  }

  # A call's key actions, on the customer managed keys `resources` gives for its resource, through its service
  # only (kms:ViaService <service>.<region>.<suffix>); none where the resource uses an AWS owned or managed key.
  dynamic "statement" {
    for_each = [for call in each.value.calls : call if length(call.key_actions) > 0 && length(var.resources[call.resource].kms_key_arns) > 0]

    content {
      sid       = "${statement.value.sid}Key"
      actions   = statement.value.key_actions
      resources = values(var.resources[statement.value.resource].kms_key_arns)

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for region in keys(var.resources[statement.value.resource].kms_key_arns) : "${statement.value.service}.${region}.${local.dns_suffix}"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(each.value.secret) > 0 ? [each.value.secret] : []

    content {
      sid       = "UseSecret"
      actions   = statement.value
      resources = values(local.secret_arns)
    }
  }

  dynamic "statement" {
    for_each = length(each.value.secret_key) > 0 ? [each.value.secret_key] : []

    content {
      sid       = "DecryptSecretThroughSecretsManager"
      actions   = statement.value
      resources = values(local.kms_key_arns)

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for region in var.regions : "secretsmanager.${region}.${local.dns_suffix}"]
      }
    }
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.units

  name   = "least-privilege"
  role   = aws_iam_role.function[each.key].id
  policy = data.aws_iam_policy_document.function[each.key].json
}

################################################################################
# IAM: the role API Gateway uses to write access and execution logs
################################################################################

data "aws_iam_policy_document" "api_gateway_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }

    # No aws:SourceAccount condition: API Gateway's guide trusts apigateway.amazonaws.com alone
    # (developer guide, set-up-logging, "Permissions for CloudWatch logging") and no AWS page says API
    # Gateway sends aws:SourceAccount when it assumes the role; if it does not, UpdateAccount fails or the
    # execution logs stop without an error. Another account cannot name this role in its own account
    # setting: UpdateAccount needs iam:PassRole on it, which only this account can grant.
  }
}

resource "aws_iam_role" "api_gateway_cloudwatch" {
  count = var.create_api_gateway_cloudwatch_role ? 1 : 0

  name               = "${var.name}-apigateway-cloudwatch"
  description        = "Lets API Gateway write the access and execution logs of ${var.name} (every region)"
  assume_role_policy = data.aws_iam_policy_document.api_gateway_assume_role.json
}

resource "aws_iam_role_policy_attachment" "api_gateway_cloudwatch" {
  count = var.create_api_gateway_cloudwatch_role ? 1 : 0

  role       = aws_iam_role.api_gateway_cloudwatch[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}
