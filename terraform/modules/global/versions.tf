terraform {
  # 1.11: write-only arguments (secret_string_wo) and ephemeral resources.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.22: global_table_witness (6.3 replica.consistency_mode, 6.9 replica.deletion_protection_enabled;
      # provider CHANGELOG); 6.0 the per-resource `region` argument. Tested with 6.47.
      version = ">= 6.22"
    }
  }
}
