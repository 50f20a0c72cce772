terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.47"
    }
  }
}

# The example is a root: it configures the one provider the module uses for every region
# (each regional resource names its own region).
provider "aws" {
  region = var.regions[0]

  default_tags {
    tags = { "app" = var.name }
  }
}
