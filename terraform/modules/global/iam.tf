################################################################################
# IAM: one role per function, least privilege from the contract's `access`
################################################################################

locals {
  # The actions behind each `access` value of the route manifest (docs/dev/interfaces.md).
  table_read_actions = [
    "dynamodb:BatchGetItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
  ]
  table_write_actions = [
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
  ]
  table_actions_by_access = {
    "table:read"  = local.table_read_actions
    "table:write" = concat(local.table_read_actions, local.table_write_actions) # write implies read
  }
  secret_read_actions = [
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
  ]

  functions = {
    for operation_id, operation in var.operations : operation_id => {
      name           = "${var.name}-${operation_id}"
      log_group_name = "/aws/lambda/${var.name}-${operation_id}"
      table_actions  = sort(distinct(flatten([for access in operation.access : lookup(local.table_actions_by_access, access, [])])))
      writes_table   = contains(operation.access, "table:write")
      reads_secret   = contains(operation.access, "secret:read")
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

  dynamic "statement" {
    for_each = length(each.value.table_actions) > 0 ? [each.value.table_actions] : []

    content {
      sid       = "UseTable"
      actions   = statement.value
      resources = values(local.table_arns)
    }
  }

  # The table is encrypted with the customer managed key: DynamoDB uses it on the caller's behalf.
  dynamic "statement" {
    for_each = length(each.value.table_actions) > 0 ? [1] : []

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
    for_each = each.value.reads_secret ? [1] : []

    content {
      sid       = "ReadSecret"
      actions   = local.secret_read_actions
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
