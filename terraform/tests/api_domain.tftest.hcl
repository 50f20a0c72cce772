# Finding 7: the ACM validation record belongs to modules/api, once, not to a region's instance.
# Applied against the offline stand-in providers (make validate); skipped with real providers.

run "one_validation_record_for_every_region" {
  command = apply

  module {
    source = "./modules/api"
  }

  variables {
    regions        = ["us-east-1", "eu-west-1", "ap-southeast-2"]
    primary_region = "eu-west-1"
    domain_name    = "api.example.com"
    hosted_zone_id = "Z0123456789EXAMPLE"
  }

  assert {
    condition     = length(aws_route53_record.certificate_validation) == 1 && toset(keys(aws_acm_certificate.this)) == toset(var.regions)
    error_message = "One validation record (owned by modules/api) and one certificate per region."
  }

  assert {
    condition = alltrue([
      for validation in aws_acm_certificate_validation.this :
      validation.validation_record_fqdns == toset([aws_route53_record.certificate_validation[0].fqdn])
    ])
    error_message = "Every region's certificate must be validated by the one record."
  }

  assert {
    condition = alltrue([
      for region, instance in module.regional : instance.health_check_id != null && instance.health_check_id != ""
    ])
    error_message = "Every region's latency record needs its (calculated) health check."
  }

  assert {
    condition     = output.failover_detection_seconds == 330 && output.failover_detection_seconds < 360
    error_message = "With the defaults a region's callers move within 330 s, inside the client retry budget of 360 s (contract/models/items.py RETRY_BUDGET_SECONDS)."
  }
}

# Round 2, finding 6: one action list for every region fails in every region but one ("Invalid region").
run "alarm_actions_as_one_list" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    regions = ["us-east-1", "eu-west-1"]
    alarms  = { actions = ["arn:aws:sns:us-east-1:123456789012:ops"] }
  }

  expect_failures = [var.alarms]
}
