terraform {
  # The kit's floor (1.9 would do for the cross-variable validations).
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0: the per-resource `region` argument; the kit is tested with 6.47 and its modules share
      # one floor, that of modules/global (6.22: global_table_witness).
      version = ">= 6.22"
    }
  }
}
