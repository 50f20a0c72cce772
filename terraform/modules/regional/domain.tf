################################################################################
# Custom domain (optional): API Gateway domain, base path mapping, latency record (health: failover.tf)
################################################################################

locals {
  create_domain = var.domain != null
  edge          = var.endpoint_type == "EDGE"
  # CloudFront (EDGE) takes certificates from us-east-1 only; their metrics are there too.
  certificate_region = local.edge ? "us-east-1" : var.region
}

# The certificate comes from the caller, issued and validated (modules/api): every region's
# certificate for one name is validated by the same DNS record, which therefore belongs to no
# single region's instance.
resource "aws_api_gateway_domain_name" "this" {
  count  = local.create_domain ? 1 : 0
  region = var.region

  domain_name              = var.domain.name
  security_policy          = "TLS_1_2"
  regional_certificate_arn = local.edge ? null : var.domain.certificate_arn
  certificate_arn          = local.edge ? var.domain.certificate_arn : null

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
