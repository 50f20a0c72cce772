# The root module with only `regions` set (plus a domain in the last run), planned and applied
# against the offline stand-in providers (make validate, tools/tfoffline).

variables {
  regions = ["us-east-1", "us-east-2", "us-west-2"]
}

run "three_regions_plan" {
  command = plan

  assert {
    condition     = output.primary_region == "us-east-1"
    error_message = "The first region is the primary by default."
  }

  assert {
    condition     = toset(keys(output.invoke_urls)) == toset(var.regions) && toset(keys(output.api_ids)) == toset(var.regions)
    error_message = "Every region must get its own API and stage."
  }

  assert {
    condition     = toset(keys(output.function_names)) == toset(keys(jsondecode(file("../api/routes.json")).operations))
    error_message = "Every operation of the route manifest must get a function."
  }

  assert {
    condition     = output.api_url == null && alltrue([for id in values(output.health_check_ids) : id == null])
    error_message = "Without a domain there is no custom URL and no health check."
  }
}

run "primary_elsewhere_plan" {
  command = plan

  variables {
    primary_region = "us-west-2"
  }

  assert {
    condition     = output.primary_region == "us-west-2"
    error_message = "primary_region must win over the first region."
  }
}

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
