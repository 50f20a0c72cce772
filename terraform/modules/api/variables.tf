################################################################################
# Required
################################################################################

variable "regions" {
  description = "Regions to serve the API from, e.g. [\"us-east-1\", \"eu-west-1\"]. The first one is the primary unless primary_region says otherwise. Adding a region means appending it here."
  type        = list(string)

  validation {
    condition     = length(var.regions) > 0
    error_message = "regions must name at least one region."
  }

  validation {
    condition     = length(var.regions) == length(distinct(var.regions))
    error_message = "regions must not repeat a region."
  }

  validation {
    condition     = alltrue([for region in var.regions : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", region))])
    error_message = "Every region must look like an AWS region name, e.g. us-east-1 or ap-southeast-2."
  }
}

################################################################################
# Optional
################################################################################

variable "primary_region" {
  description = "Region of the user pool, the primary table, secret and KMS key; null: the first of regions."
  type        = string
  default     = null

  validation {
    condition     = var.primary_region == null || contains(var.regions, coalesce(var.primary_region, "-"))
    error_message = "primary_region must be one of regions."
  }
}

variable "name" {
  description = "Name of the deployment: the REST API, the table, the user pool, and the prefix of every other resource."
  type        = string
  default     = "multiregion-api"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,23}$", var.name))
    error_message = "name must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter (a DynamoDB table name needs at least 3)."
  }
}

variable "domain_name" {
  description = "Custom domain of the API (e.g. api.example.com); with hosted_zone_id it gets a certificate per region and latency routing. null: invoke URLs only."
  type        = string
  default     = null
}

variable "hosted_zone_id" {
  description = "ID of the Route 53 public hosted zone that holds domain_name."
  type        = string
  default     = null

  validation {
    condition     = (var.domain_name == null) == (var.hosted_zone_id == null)
    error_message = "Set domain_name and hosted_zone_id together, or neither."
  }
}

variable "endpoint_type" {
  description = "API Gateway endpoint type: REGIONAL, or EDGE (CloudFront in front) when exactly one region is given."
  type        = string
  default     = "REGIONAL"
  nullable    = false

  validation {
    condition     = var.endpoint_type == "REGIONAL" || (var.endpoint_type == "EDGE" && length(var.regions) == 1)
    error_message = "endpoint_type must be REGIONAL, or EDGE with exactly one region (latency routing needs regional endpoints)."
  }
}

variable "stage_name" {
  description = "Name of the API Gateway stage in every region."
  type        = string
  default     = "live"
  nullable    = false
}

variable "lambda_settings" {
  description = "Settings of every function (overridable per region through region_settings): runtime, architecture, memory (MB), timeout (s), LOG_LEVEL, reserved concurrency, extra environment, snap_start (Lambda SnapStart through an alias; python3.12 or newer; extra charges: modules/regional README)."
  type = object({
    runtime              = optional(string, "python3.13")
    architecture         = optional(string, "arm64")
    memory_size          = optional(number, 512)
    timeout              = optional(number, 10)
    log_level            = optional(string, "INFO")
    reserved_concurrency = optional(number)
    concurrency_quota    = optional(number, 1000)
    environment          = optional(map(string), {})
    snap_start           = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "throttling" {
  description = "Stage throttling of every region (overridable per region): requests per second and burst."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default  = {}
  nullable = false
}

variable "region_settings" {
  description = "Per-region overrides, keyed by region: lambda_memory_size, lambda_reserved_concurrency, throttling_rate_limit, throttling_burst_limit. Regions not listed use the defaults."
  type = map(object({
    lambda_memory_size          = optional(number)
    lambda_reserved_concurrency = optional(number)
    throttling_rate_limit       = optional(number)
    throttling_burst_limit      = optional(number)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = length(setsubtract(keys(var.region_settings), var.regions)) == 0
    error_message = "region_settings may only name regions listed in regions."
  }
}

variable "log_retention_in_days" {
  description = "Retention of every log group (functions, API access and execution logs)."
  type        = number
  default     = 365
  nullable    = false
}

variable "alarms" {
  description = "CloudWatch alarms of every region: thresholds, evaluation, create_topic, and actions: extra ARNs to notify keyed by region (a CloudWatch alarm notifies only a topic of its own region; with EDGE outside us-east-1, the certificate-expiry alarm takes actions[\"us-east-1\"]). Its other attributes, defaults and validations are those of modules/regional (variable alarms); stated there only."
  type        = any
  default     = {}
  nullable    = false

  validation {
    condition     = can(keys(try(var.alarms.actions, {}))) && alltrue([for region in keys(try(var.alarms.actions, {})) : contains(concat(var.regions, ["us-east-1"]), region)])
    error_message = "alarms.actions must be a map keyed by region, e.g. { \"us-east-1\" = [\"arn:aws:sns:us-east-1:...\"] }: a CloudWatch alarm notifies only a topic of its own region, so one list cannot serve every region."
  }
}

variable "health_check" {
  description = "What Route 53 routes each region on (with a domain): the failover canary and the region's 5xx share, failing_minutes in a row, error_rate_threshold, canary_timeout_seconds. Its attributes, defaults and validations are those of modules/regional (variable health_check); stated there only. Detection time: output failover_detection_seconds."
  type        = any
  default     = {}
  nullable    = false
}

variable "table" {
  description = "DynamoDB global table: name, consistency_mode EVENTUAL or STRONG, witness_region, deletion protection, TTL, point-in-time recovery period. Its attributes, defaults and validations are those of modules/global (variable table); stated there only."
  type        = any
  default     = {}
  nullable    = false
}

variable "cognito" {
  description = "Cognito: callback and logout URLs, token lifetimes, hosted-UI domain prefix, deletion protection, email (COGNITO_DEFAULT or DEVELOPER with SES), self sign-up, the USER_PASSWORD_AUTH opt-in, the feature plan (user_pool_tier ESSENTIALS or PLUS, for the pre token generation trigger). Its attributes, defaults and validations are those of modules/global (variable cognito); stated there only."
  type        = any
  default     = {}
  nullable    = false
}

variable "resources" {
  description = "The team's own AWS resources the contract's operations call (contract/calls.py), by name: arns (ARN per region) and kms_key_arns (customer managed key per region, if any). Its attributes and validations are those of modules/global (variable resources); stated there only."
  type        = any
  default     = {}
  nullable    = false
}

variable "secret" {
  description = "Application secret: generate_value, value_version, recovery_window_in_days. Its attributes, defaults and validations are those of modules/global (variable secret); stated there only."
  type        = any
  default     = {}
  nullable    = false
}

variable "create_api_gateway_account" {
  description = "Create the CloudWatch role of API Gateway and set it on the account in every region. Off by default: the setting is one per account and region, shared by every REST API there, and destroying it resets it for all of them (provider 6). Turn it on in one deployment per account (README: API Gateway account setting)."
  type        = bool
  default     = false
  nullable    = false
}

variable "openapi_path" {
  description = "Path of the deployable OpenAPI document; null: api/openapi.aws.json of this repository."
  type        = string
  default     = null
}

variable "routes_path" {
  description = "Path of the route manifest; null: api/routes.json of this repository."
  type        = string
  default     = null
}

variable "package_dir" {
  description = "Directory of the function packages (<operation_id>.zip and the trigger's triggers.<name>.zip, `make package`); null: build/lambdas of this repository."
  type        = string
  default     = null
}

variable "health_throttling" {
  description = "Throttling of the contract's health operation alone in every region (modules/regional health_throttling)."
  type = object({
    rate_limit  = optional(number, 10)
    burst_limit = optional(number, 20)
  })
  default  = {}
  nullable = false
}

variable "web_acl_arns" {
  description = "Regional WAFv2 web ACL ARN to associate with each region's stage, keyed by region (e.g. an ACL with a rate-based rule; README: WAF). Regions not listed get none."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(setsubtract(keys(var.web_acl_arns), var.regions)) == 0
    error_message = "web_acl_arns may only name regions listed in regions."
  }
}

variable "waf" {
  description = "A web ACL created by the kit in every region (create = true): one rate-based rule per source IP with rate_limit, evaluation_window_sec and action (block or count). Its attributes, defaults and validations are those of modules/regional (variable waf); stated there only. Not together with web_acl_arns."
  type        = any
  default     = {}
  nullable    = false
}

variable "release" {
  description = "Releases (make release): regions maps a region to the release directory it serves (build/releases/<id>, written by make release; a region not listed serves this tree's api/ and build/lambdas); previous maps a region to the release directory it served before (its functions' earlier versions may still serve during the canary and after a rollback, so their grants stay: make release writes it); alias_name, deployment_config (CodeDeploy's traffic shifting inside a region) and publish_timeout are those of modules/regional (variable release_settings)."
  type = object({
    regions           = optional(map(string), {})
    previous          = optional(map(string), {})
    alias_name        = optional(string, "live")
    deployment_config = optional(string, "CodeDeployDefault.LambdaCanary10Percent5Minutes")
    publish_timeout   = optional(string, "30m")
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for region in keys(var.release.regions) : contains(var.regions, region)])
    error_message = "release.regions names a region that is not in regions: ${join(", ", setsubtract(keys(var.release.regions), var.regions))}."
  }

  validation {
    condition     = alltrue([for region in keys(var.release.previous) : contains(var.regions, region)])
    error_message = "release.previous names a region that is not in regions: ${join(", ", setsubtract(keys(var.release.previous), var.regions))}."
  }
}
