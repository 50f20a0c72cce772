# Three regions behind one custom domain with latency routing and health checks.
# us-east-1 is the primary (user pool, primary table and secret). Adding a fourth
# region is one more entry in regions.
module "api" {
  source = "../../modules/api"

  regions        = var.regions
  name           = var.name
  domain_name    = var.domain_name
  hosted_zone_id = var.hosted_zone_id

  # Europe gets more memory (and with it more CPU) and a higher rate limit.
  region_settings = {
    "eu-west-1" = {
      lambda_memory_size     = 1024
      throttling_rate_limit  = 500
      throttling_burst_limit = 1000
    }
  }

  alarms = {
    create_topic = true
  }
}
