terraform {
  # 1.11: the secret's write-only value (secret_string_wo) and ephemeral resources.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.22: global_table_witness (modules/global); the floor of the modules it composes.
      version = ">= 6.22"
    }
  }

  # No provider block: the caller (terraform/ or an example) configures the one aws provider,
  # so this module can take count, for_each and depends_on and other credentials.
}
