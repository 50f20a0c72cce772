################################################################################
# IAM: one role per function, least privilege from the contract's `access`
################################################################################

locals {
  # Each `access` value of the route manifest is one IAM action the handler calls (contract/operation.py
  # Access), so a policy grants exactly what its handler calls: no read/write bundles.
  item_actions  = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
  write_actions = ["dynamodb:PutItem", "dynamodb:UpdateItem"]
  strong        = var.table.consistency_mode == "STRONG"

  functions = {
    for operation_id, operation in var.operations : operation_id => {
      name           = "${var.name}-${operation_id}"
      log_group_name = "/aws/lambda/${var.name}-${operation_id}"
      # Home-region actions reach the home replica from every region (an EVENTUAL table); every other table
      # call, and every call on a STRONG table (no cross-region call there), stays in the function's region.
      home_actions = local.strong ? [] : sort(setintersection(operation.home_region_actions, operation.access))
      # "entity": each entity's home is the region of its first write (write to your Region), so any replica.
      home_arns = operation.home_replicas == "entity" ? values(local.table_arns) : [local.table_arns[var.primary_region]]
      local_actions = sort([
        for access in operation.access : access
        if startswith(access, "dynamodb:") && (local.strong || contains(operation.serving_region_actions == null ? operation.access : operation.serving_region_actions, access))
      ])
      secret_actions = sort([for access in operation.access : access if startswith(access, "secretsmanager:")])
      # DescribeTable and DescribeSecret read metadata only: no key use.
      uses_table_key = length(setintersection(operation.access, local.item_actions)) > 0
      writes_table   = length(setintersection(operation.access, local.write_actions)) > 0
      reads_secret   = contains(operation.access, "secretsmanager:GetSecretValue")
    }
  }
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
  for_each = local.functions

  name               = each.value.name
  description        = "Lambda ${each.key} of ${var.name} (every region)"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json
}

data "aws_iam_policy_document" "function" {
  for_each = local.functions

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
  # value carries a version or alias qualifier when an alias is invoked (lambda_settings.snap_start), so
  # both the bare ARN and any qualified form of it match (ArnLike compares the resource part with `*`).
  dynamic "statement" {
    for_each = length(each.value.local_actions) > 0 ? var.regions : []

    content {
      sid       = "UseTableIn${replace(title(replace(statement.value, "-", " ")), " ", "")}"
      actions   = each.value.local_actions
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

  # Home-region actions (api/routes.json home_region_actions) on the home replicas only, from every region.
  dynamic "statement" {
    for_each = length(each.value.home_actions) > 0 ? [each.value.home_actions] : []

    content {
      sid       = "UseHomeReplica"
      actions   = statement.value
      resources = each.value.home_arns
    }
  }

  # The table is encrypted with the customer managed key: DynamoDB uses it on the caller's behalf.
  dynamic "statement" {
    for_each = each.value.uses_table_key ? [1] : []

    content {
      sid       = "UseKeyThroughDynamoDB"
      actions   = each.value.writes_table ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"]
      resources = values(local.kms_key_arns)

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for region in var.regions : "dynamodb.${region}.${local.dns_suffix}"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(each.value.secret_actions) > 0 ? [each.value.secret_actions] : []

    content {
      sid       = "UseSecret"
      actions   = statement.value
      resources = values(local.secret_arns)
    }
  }

  dynamic "statement" {
    for_each = each.value.reads_secret ? [1] : []

    content {
      sid       = "DecryptSecretThroughSecretsManager"
      actions   = ["kms:Decrypt"]
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
  for_each = local.functions

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

    # Confused-deputy protection: only API Gateway acting for this account may assume the role
    # (IAM user guide, "The confused deputy problem": aws:SourceAccount).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
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
