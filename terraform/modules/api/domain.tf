################################################################################
# Custom domain certificates: one per region, validated by one record owned here
################################################################################

resource "aws_acm_certificate" "this" {
  for_each = local.create_domain ? local.certificate_regions : {}
  region   = each.value

  domain_name       = var.domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  # ACM asks every region's certificate for one name to prove it with the same CNAME
  # (hashicorp/terraform-provider-aws#13653), so any certificate's option is the record. It
  # belongs to no region's instance: changing the primary or removing a region leaves it in
  # place for the other certificates' renewals.
  certificate_validation = local.create_domain ? one([for option in aws_acm_certificate.this[var.regions[0]].domain_validation_options : option]) : null
}

resource "aws_route53_record" "certificate_validation" {
  count = local.create_domain ? 1 : 0

  zone_id         = var.hosted_zone_id
  name            = local.certificate_validation.resource_record_name
  type            = local.certificate_validation.resource_record_type
  records         = [local.certificate_validation.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  for_each = aws_acm_certificate.this
  region   = each.value.region

  certificate_arn         = each.value.arn
  validation_record_fqdns = [aws_route53_record.certificate_validation[0].fqdn]
}
