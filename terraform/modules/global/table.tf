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
    enabled        = local.enable_ttl
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
      region_name = replica.value
      kms_key_arn = aws_kms_replica_key.this[replica.value].arn
      # Only a boolean here: the provider enables PITR on each replica with its default 35-day
      # retention (internal/service/dynamodb/table.go, createReplicas -> updatePITR(..., nil, ...)),
      # whatever table.point_in_time_recovery_days says (README: replica retention).
      point_in_time_recovery = true
      propagate_tags         = true
      # With STRONG the provider's create path does not apply it (table.go, createReplicas, MRSC
      # branch): the next apply does (README: STRONG needs a second apply).
      deletion_protection_enabled = var.table.enable_deletion_protection
      # A change replaces every replica (table.go, updateReplica: "like ForceNew for the replica"),
      # and MRSC replicas can only be added to an empty table: pinned below.
      consistency_mode = var.table.consistency_mode
    }
  }

  lifecycle {
    precondition {
      condition     = terraform_data.table_consistency_mode.output == var.table.consistency_mode
      error_message = "table.consistency_mode cannot change on an existing table: the provider would replace every replica, and DynamoDB adds MRSC replicas only to an empty table. Migrate instead (modules/global/README.md, \"Changing the consistency mode\")."
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

# The consistency mode is fixed once the table exists. This records the mode it was created with
# (ignore_changes keeps the first value), and the table's precondition refuses another one at plan
# time, before the provider would delete and fail to re-create the replicas. A deliberate change
# is a migration (README): replace this record with -replace after moving the data.
resource "terraform_data" "table_consistency_mode" {
  input = var.table.consistency_mode

  lifecycle {
    ignore_changes = [input]
  }
}
