# The smallest deployment: one region, no custom domain. The API answers on the
# stage's invoke URL; the table, secret and KMS key have no replica yet.
module "api" {
  source = "../../modules/api"

  regions = var.regions
  name    = var.name
}
