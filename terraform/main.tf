# The whole kit is one module call; this root only adds the provider configuration (versions.tf),
# as do the examples, which call the same module.
module "api" {
  source = "./modules/api"

  regions                    = var.regions
  primary_region             = var.primary_region
  name                       = var.name
  domain_name                = var.domain_name
  hosted_zone_id             = var.hosted_zone_id
  endpoint_type              = var.endpoint_type
  stage_name                 = var.stage_name
  lambda_settings            = var.lambda_settings
  throttling                 = var.throttling
  region_settings            = var.region_settings
  log_retention_in_days      = var.log_retention_in_days
  alarms                     = var.alarms
  health_check               = var.health_check
  table                      = var.table
  cognito                    = var.cognito
  secret                     = var.secret
  resources                  = var.resources
  create_api_gateway_account = var.create_api_gateway_account
  openapi_path               = var.openapi_path
  routes_path                = var.routes_path
  package_dir                = var.package_dir
  health_throttling          = var.health_throttling
  web_acl_arns               = var.web_acl_arns
  waf                        = var.waf
  release                    = var.release
}

# Before the kit was one module, its two modules were called from here.
moved {
  from = module.global
  to   = module.api.module.global
}

moved {
  from = module.regional
  to   = module.api.module.regional
}
