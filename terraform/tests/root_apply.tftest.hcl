# The root module applied in two regions with a custom domain, against the offline stand-in providers
# (make validate, devtools/tfoffline), which fill what AWS would compute with placeholders shaped like
# the real values. With real providers the harness skips this file: it would deploy.

run "two_regions_with_domain" {
  command = apply

  variables {
    regions        = ["us-east-1", "eu-west-1"]
    domain_name    = "api.example.com"
    hosted_zone_id = "Z0123456789EXAMPLE"
  }

  assert {
    condition     = output.api_url == "https://api.example.com"
    error_message = "api_url must be the custom domain."
  }

  assert {
    condition     = alltrue([for region, url in output.invoke_urls : startswith(url, "https://")]) && length(output.invoke_urls) == 2
    error_message = "invoke_urls must hold one https URL per region."
  }

  assert {
    condition     = length(output.health_check_ids) == 2 && alltrue([for id in values(output.health_check_ids) : id != null && id != ""])
    error_message = "With a domain every region must get a health check."
  }

  assert {
    condition = alltrue([
      for value in [output.table_name, output.secret_name, output.user_pool_id, output.user_pool_client_id, output.user_pool_domain] :
      value != null && value != ""
    ])
    error_message = "The table, secret and user pool outputs must be set."
  }

  assert {
    condition     = length(output.oauth_scopes) == length(jsondecode(file("../api/routes.json")).resource_server.scopes)
    error_message = "Every scope of the resource server must be offered to the client."
  }

  assert {
    condition     = output.table_name == "multiregion-api" && output.secret_name == "multiregion-api/app"
    error_message = "Names follow var.name (docs/dev/interfaces.md: same table and secret name in every region)."
  }
}
