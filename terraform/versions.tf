terraform {
  # 1.11 for the secret's write-only value (secret_string_wo).
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x: the per-resource `region` argument, one provider for every region.
      version = "~> 6.47"
    }
  }

  # Remote state: copy backend.tf.example to backend.tf (see README.md, "Remote state").
}

# One provider for every region: each regional resource names its region itself.
# Its own region only serves the global resources (IAM, Route 53) and the data sources.
provider "aws" {
  region = module.api.primary_region

  default_tags {
    tags = merge(var.tags, { "app" = module.api.name })
  }
}
