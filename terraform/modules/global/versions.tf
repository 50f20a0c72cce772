terraform {
  # 1.11: write-only arguments (secret_string_wo) and ephemeral resources.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0: the per-resource `region` argument; 6.x: replica consistency_mode and the witness block.
      version = ">= 6.0"
    }
  }
}
