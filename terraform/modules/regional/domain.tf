################################################################################
# Custom domain (optional): certificate, API Gateway domain, latency record
################################################################################

locals {
  create_domain = var.domain != null
  edge          = var.endpoint_type == "EDGE"
  # An edge-optimized domain is served through CloudFront, which takes certificates from us-east-1 only.
  certificate_region = local.edge ? "us-east-1" : var.region
  validation_option  = local.create_domain ? tolist(aws_acm_certificate.this[0].domain_validation_options)[0] : null
}

resource "aws_acm_certificate" "this" {
  count  = local.create_domain ? 1 : 0
  region = local.certificate_region

  domain_name       = var.domain.name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

# ACM asks every region's certificate for this name to prove it with the same
# CNAME, so one instance owns the record and the others only wait for issuance.
resource "aws_route53_record" "certificate_validation" {
  count = local.create_domain && var.create_certificate_validation_record ? 1 : 0

  zone_id         = var.domain.hosted_zone_id
  name            = local.validation_option.resource_record_name
  type            = local.validation_option.resource_record_type
  records         = [local.validation_option.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count  = local.create_domain ? 1 : 0
  region = local.certificate_region

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = var.create_certificate_validation_record ? [aws_route53_record.certificate_validation[0].fqdn] : null
}

resource "aws_api_gateway_domain_name" "this" {
  count  = local.create_domain ? 1 : 0
  region = var.region

  domain_name              = var.domain.name
  security_policy          = "TLS_1_2"
  regional_certificate_arn = local.edge ? null : aws_acm_certificate_validation.this[0].certificate_arn
  certificate_arn          = local.edge ? aws_acm_certificate_validation.this[0].certificate_arn : null

  endpoint_configuration {
    types = [var.endpoint_type]
  }
}

resource "aws_api_gateway_base_path_mapping" "this" {
  count  = local.create_domain ? 1 : 0
  region = var.region

  api_id      = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  domain_name = aws_api_gateway_domain_name.this[0].domain_name
}

# The check targets this region's own endpoint: through the shared name it would
# follow latency routing to whichever region answers fastest.
resource "aws_route53_health_check" "this" {
  count = local.create_domain ? 1 : 0

  type              = "HTTPS"
  fqdn              = "${aws_api_gateway_rest_api.this.id}.execute-api.${var.region}.${data.aws_partition.current.dns_suffix}"
  port              = 443
  resource_path     = "/${var.stage_name}${var.health_check.path}"
  enable_sni        = true
  request_interval  = var.health_check.request_interval
  failure_threshold = var.health_check.failure_threshold

  tags = {
    Name = "${var.name}-${var.region}"
  }
}

resource "aws_route53_record" "this" {
  count = local.create_domain ? 1 : 0

  zone_id         = var.domain.hosted_zone_id
  name            = var.domain.name
  type            = "A"
  set_identifier  = var.region
  health_check_id = aws_route53_health_check.this[0].id

  latency_routing_policy {
    region = var.region
  }

  alias {
    name                   = local.edge ? aws_api_gateway_domain_name.this[0].cloudfront_domain_name : aws_api_gateway_domain_name.this[0].regional_domain_name
    zone_id                = local.edge ? aws_api_gateway_domain_name.this[0].cloudfront_zone_id : aws_api_gateway_domain_name.this[0].regional_zone_id
    evaluate_target_health = true
  }
}
