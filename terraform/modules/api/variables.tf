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
    condition     = can(regex("^[a-z][a-z0-9-]{1,23}$", var.name))
    error_message = "name must be 2-24 characters of lowercase letters, digits and hyphens, starting with a letter."
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
  description = "Settings of every function (overridable per region through region_settings): runtime, architecture, memory (MB), timeout (s), LOG_LEVEL, reserved concurrency, extra environment."
  type = object({
    runtime              = optional(string, "python3.13")
    architecture         = optional(string, "arm64")
    memory_size          = optional(number, 512)
    timeout              = optional(number, 10)
    log_level            = optional(string, "INFO")
    reserved_concurrency = optional(number)
    environment          = optional(map(string), {})
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
  description = "CloudWatch alarms of every region: thresholds (5xx rate, p99 latency in ms, throttles), evaluation, an optional SNS topic per region (create_topic) and extra action ARNs."
  type = object({
    create_topic             = optional(bool, false)
    actions                  = optional(list(string), [])
    error_rate_threshold     = optional(number, 0.05)
    latency_p99_threshold_ms = optional(number, 2500)
    throttles_threshold      = optional(number, 0)
    period_seconds           = optional(number, 60)
    evaluation_periods       = optional(number, 5)
    datapoints_to_alarm      = optional(number, 3)
  })
  default  = {}
  nullable = false
}

variable "table" {
  description = "DynamoDB global table: name (default: name), consistency_mode EVENTUAL or STRONG (exactly 3 regions, or 2 plus witness_region), deletion protection, TTL, point-in-time recovery period."
  type = object({
    name                        = optional(string)
    consistency_mode            = optional(string, "EVENTUAL")
    witness_region              = optional(string)
    enable_deletion_protection  = optional(bool, true)
    enable_ttl                  = optional(bool, true)
    ttl_attribute               = optional(string, "expires_at")
    point_in_time_recovery_days = optional(number, 35)
  })
  default  = {}
  nullable = false
}

variable "cognito" {
  description = "Cognito mobile app client: OAuth callback and logout URLs, token lifetimes, hosted-UI domain prefix (null: <name>-<account id>), deletion protection."
  type = object({
    callback_urls              = optional(list(string), ["app://auth/callback"])
    logout_urls                = optional(list(string), ["app://auth/logout"])
    domain_prefix              = optional(string)
    access_token_minutes       = optional(number, 60)
    id_token_minutes           = optional(number, 60)
    refresh_token_days         = optional(number, 30)
    enable_deletion_protection = optional(bool, true)
  })
  default  = {}
  nullable = false
}

variable "secret" {
  description = "Application secret: generate_value writes a random {\"cursor_hmac_key\"} through a write-only argument (never in state); bump value_version to rotate; false: set the value out of band."
  type = object({
    generate_value          = optional(bool, true)
    value_version           = optional(number, 1)
    recovery_window_in_days = optional(number, 7)
  })
  default  = {}
  nullable = false
}

variable "create_api_gateway_account" {
  description = "Create the CloudWatch role of API Gateway and set it on the account in every region (needed for access logs; set false if the account already has one)."
  type        = bool
  default     = true
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
  description = "Directory of the function packages (<operation_id>.zip, `make package`); null: build/lambdas of this repository."
  type        = string
  default     = null
}
