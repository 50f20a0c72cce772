terraform {
  # The kit's floor (1.9 would do for the cross-variable validations).
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0: the per-resource `region` argument.
      version = ">= 6.0"
    }
  }
}
