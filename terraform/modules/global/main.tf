################################################################################
# Shared values
################################################################################

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix

  # Every region except the primary holds a replica of the table, the secret and the KMS key.
  replica_regions = [for region in var.regions : region if region != var.primary_region]

  table_name = coalesce(var.table.name, var.name)
  # No TTL on a multi-Region strongly consistent table (DynamoDB: TTL not supported for MRSC).
  enable_ttl  = coalesce(var.table.enable_ttl, var.table.consistency_mode == "EVENTUAL")
  secret_name = "${var.name}/app"

  # A global table keeps its name in every region, so each replica's ARN is known up front.
  table_arns = { for region in var.regions : region => "arn:${local.partition}:dynamodb:${region}:${local.account_id}:table/${local.table_name}" }
  kms_key_arns = merge(
    { (var.primary_region) = aws_kms_key.this.arn },
    { for region, key in aws_kms_replica_key.this : region => key.arn },
  )
  # A secret replica keeps the primary's name and random suffix; only the region differs.
  secret_arns = {
    for region in var.regions : region => replace(aws_secretsmanager_secret.this.arn, ":${var.primary_region}:", ":${region}:")
  }
}

################################################################################
# KMS: one multi-Region key (primary + a replica per other region)
################################################################################

data "aws_iam_policy_document" "key" {
  for_each = toset(var.regions)

  #checkov:skip=CKV_AWS_109:A key policy's resource "*" means this key only; the account statement is AWS's default key policy, which lets IAM policies grant use of the key.
  #checkov:skip=CKV_AWS_111:A key policy's resource "*" means this key only; the account statement is AWS's default key policy, which lets IAM policies grant use of the key.
  #checkov:skip=CKV_AWS_356:A key policy's resource "*" means this key only; it cannot name another resource.

  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsEncryption"
    actions = [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${each.key}.${local.dns_suffix}"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${each.key}:${local.account_id}:log-group:*"]
    }
  }

  # CloudWatch alarms publish to the (encrypted) alarm topic.
  statement {
    sid       = "CloudWatchAlarmsToEncryptedTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "this" {
  region = var.primary_region

  description             = "${var.name}: table, secret, logs and alarm topic (multi-Region primary key)"
  multi_region            = true
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key[var.primary_region].json
}

resource "aws_kms_replica_key" "this" {
  for_each = toset(local.replica_regions)
  region   = each.key

  description             = "${var.name}: table, secret, logs and alarm topic (replica of the multi-Region key)"
  primary_key_arn         = aws_kms_key.this.arn
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key[each.key].json
}

resource "aws_kms_alias" "this" {
  for_each = toset(var.regions)
  region   = each.key

  name          = "alias/${var.name}"
  target_key_id = local.kms_key_arns[each.key]
}
