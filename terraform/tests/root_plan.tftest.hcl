# The root module with only `regions` set, planned. Plan-only: safe against the offline stand-in
# providers (make validate, devtools/tfoffline) and against the real ones (TFOFFLINE_REAL=1).

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

# A STRONG (MRSC) table plans with this build's handlers (api/routes.json table_modes list STRONG for
# every operation); modules/global refuses it for handlers that do not run on it.
run "strong_table_plan" {
  command = plan

  variables {
    table = { consistency_mode = "STRONG" }
  }

  assert {
    condition     = output.primary_region == "us-east-1"
    error_message = "A STRONG table must plan with the handlers of this build."
  }
}

# Finding 6: the kit's web ACL in every region, and the stage ARNs at the root.
run "three_regions_with_waf" {
  command = plan

  variables {
    waf = { create = true, rate_limit = 1000 }
  }

  assert {
    condition     = toset(keys(output.web_acl_arns)) == toset(var.regions) && toset(keys(output.stage_arns)) == toset(var.regions)
    error_message = "Every region reports its stage ARN and its web ACL ARN."
  }
}
