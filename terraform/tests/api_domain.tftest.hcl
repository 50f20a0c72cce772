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
    condition     = aws_route53_health_check.custom_domain[0].fqdn == "api.example.com"
    error_message = "One health check must probe through the custom domain (finding 10)."
  }
}
