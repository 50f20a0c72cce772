################################################################################
# DynamoDB global table: the primary plus a replica per other region
################################################################################

resource "aws_dynamodb_table" "this" {
  region = var.primary_region

  name                        = local.table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  deletion_protection_enabled = var.table.enable_deletion_protection

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  ttl {
    attribute_name = var.table.ttl_attribute
    enabled        = var.table.enable_ttl
  }

  point_in_time_recovery {
    enabled                 = true
    recovery_period_in_days = var.table.point_in_time_recovery_days
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.this.arn
  }

  dynamic "replica" {
    for_each = toset(local.replica_regions)

    content {
      region_name                 = replica.value
      kms_key_arn                 = aws_kms_replica_key.this[replica.value].arn
      point_in_time_recovery      = true
      propagate_tags              = true
      deletion_protection_enabled = var.table.enable_deletion_protection
      consistency_mode            = var.table.consistency_mode
    }
  }

  # Multi-Region strong consistency with two replicas needs a third region as a witness.
  dynamic "global_table_witness" {
    for_each = var.table.witness_region == null ? [] : [var.table.witness_region]

    content {
      region_name = global_table_witness.value
    }
  }
}
