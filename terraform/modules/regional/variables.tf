variable "region" {
  description = "The region this instance serves the API from; every resource of the module is created there (ACM for EDGE: us-east-1)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must look like an AWS region, e.g. us-east-1."
  }
}

variable "name" {
  description = "Name of the REST API and prefix of the module's other resources."
  type        = string
}

variable "endpoint_type" {
  description = "API Gateway endpoint type: REGIONAL (multi-region, latency routing) or EDGE (single region only)."
  type        = string
  default     = "REGIONAL"

  validation {
    condition     = contains(["REGIONAL", "EDGE"], var.endpoint_type)
    error_message = "endpoint_type must be REGIONAL or EDGE."
  }
}

variable "stage_name" {
  description = "Name of the API Gateway stage (first segment of the invoke URL path)."
  type        = string
  default     = "live"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name may contain only letters, digits, underscores and hyphens."
  }
}

variable "openapi_path" {
  description = "Path of the deployable OpenAPI document (api/openapi.aws.json), rendered with templatefile(function_arns, user_pool_arn)."
  type        = string
}

variable "operations" {
  description = "The operations of the route manifest (api/routes.json `operations`), keyed by operation_id: one function and one permission each."
  type = map(object({
    method  = string
    path    = string
    handler = string
    package = string
    # Its calls to the team's own resources: the variable that carries each one's ARN (api/routes.json `calls`).
    calls = optional(list(object({
      resource    = string
      environment = string
    })), [])
  }))
}

variable "resource_arns" {
  description = "ARN in this region of each of the team's resources the operations call, by the contract's name (modules/global variable resources, checked there): each function that calls one gets it in the variable its call names (<NAME>_ARN)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "functions" {
  description = "Per operation_id, from the global module: function name, log group name and IAM role ARN."
  type = map(object({
    name           = string
    log_group_name = string
    role_arn       = string
  }))

  validation {
    condition     = length(setsubtract(keys(var.operations), keys(var.functions))) == 0
    error_message = "functions must hold an entry (name, log group, role) for every operation."
  }
}

variable "package_dir" {
  description = "Directory of the function packages <operation_id>.zip built by `make package` (relative paths are resolved from the working directory)."
  type        = string
  default     = "../build/lambdas"
}

variable "lambda_settings" {
  description = "Settings shared by every function of this region; environment adds variables to TABLE_NAME, SECRET_ID and LOG_LEVEL. snap_start: Lambda SnapStart on published versions, invoked through the alias `live` (python3.12 or newer; charged per cached snapshot and per restore, README)."
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

  # Lambda's environment rules (Lambda developer guide, configuration-envvars): keys are letters,
  # digits and underscores starting with a letter, the runtime's reserved keys cannot be set, and
  # all variables together are at most 4 KB. The kit's own keys would be silently overridden.
  validation {
    condition     = alltrue([for key in keys(var.lambda_settings.environment) : can(regex("^[a-zA-Z][a-zA-Z0-9_]*$", key))])
    error_message = "lambda_settings.environment keys must start with a letter and contain only letters, digits and underscores."
  }

  validation {
    condition = length(setintersection(keys(var.lambda_settings.environment), [
      "TABLE_NAME", "SECRET_ID", "LOG_LEVEL", "HOME_REGION", "TABLE_CONSISTENCY", "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
      "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
      "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
      "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
      "LAMBDA_RUNTIME_DIR",
    ])) == 0
    error_message = "lambda_settings.environment must not set TABLE_NAME, SECRET_ID, LOG_LEVEL, HOME_REGION, TABLE_CONSISTENCY (the kit's) or a key Lambda reserves (AWS_REGION, _HANDLER, AWS_LAMBDA_*, ...)."
  }

  validation {
    condition     = length(jsonencode(var.lambda_settings.environment)) <= 3584
    error_message = "lambda_settings.environment is too large: Lambda allows 4 KB for all variables together, and the kit's own take the rest."
  }

  validation {
    condition     = var.lambda_settings.reserved_concurrency == null || try(var.lambda_settings.reserved_concurrency >= 0, false)
    error_message = "lambda_settings.reserved_concurrency must be null (unreserved) or a number >= 0."
  }

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_settings.architecture)
    error_message = "lambda_settings.architecture must be arm64 or x86_64."
  }

  validation {
    condition     = var.lambda_settings.memory_size >= 128 && var.lambda_settings.memory_size <= 10240
    error_message = "lambda_settings.memory_size must be between 128 and 10240 MB."
  }

  validation {
    condition     = var.lambda_settings.timeout >= 1 && var.lambda_settings.timeout <= 29
    error_message = "lambda_settings.timeout must be between 1 and 29 seconds (API Gateway's integration timeout)."
  }

  # SnapStart runs on Java 11+, Python 3.12+ and .NET 8+ managed runtimes only (Lambda developer guide,
  # snapstart.html, "Supported features and limitations"); the provider would pass anything to the API.
  validation {
    condition     = !var.lambda_settings.snap_start || try(tonumber(regex("^python3\\.([0-9]+)$", var.lambda_settings.runtime)[0]) >= 12, false)
    error_message = "lambda_settings.snap_start needs runtime python3.12 or newer (Lambda SnapStart supports Python 3.12+), not ${var.lambda_settings.runtime}."
  }
}

variable "table_name" {
  description = "Name of the DynamoDB global table (TABLE_NAME of every function)."
  type        = string
}

variable "home_region" {
  description = "Home region of home-region data (HOME_REGION of every function): accounts are written there from every region (docs/consistency.md)."
  type        = string
}

variable "table_consistency_mode" {
  description = "Consistency mode of the global table, EVENTUAL or STRONG (TABLE_CONSISTENCY of every function; docs/consistency.md)."
  type        = string
  default     = "EVENTUAL"

  validation {
    condition     = contains(["EVENTUAL", "STRONG"], var.table_consistency_mode)
    error_message = "table_consistency_mode must be EVENTUAL or STRONG."
  }
}

variable "secret_name" {
  description = "Name of the replicated application secret (SECRET_ID of every function)."
  type        = string
}

variable "user_pool_arn" {
  description = "ARN of the Cognito user pool named by the document's authorizer (may be in another region)."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of this region's KMS key (multi-Region replica), used for log groups and the alarm topic."
  type        = string
}

variable "log_retention_in_days" {
  description = "Retention of the function, access and execution log groups."
  type        = number
  default     = 365
}

variable "throttling" {
  description = "Stage-wide throttling for every method: steady-state requests per second and burst."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default  = {}
  nullable = false
}

variable "health_throttling" {
  description = "Throttling of the contract's health operation alone (GET of canary.path; method settings of its own): a flood of anonymous health requests stays cheap and the other methods keep theirs (Route 53 routes on the canary, not on it); none without a health operation."
  type = object({
    rate_limit  = optional(number, 10)
    burst_limit = optional(number, 20)
  })
  default  = {}
  nullable = false
}

variable "web_acl_arn" {
  description = "ARN of a regional WAFv2 web ACL (in this region) to associate with the stage, e.g. with a rate-based rule; null: none."
  type        = string
  default     = null

  # The association's resource and ACL must be in one region (WAF developer guide, "Associating
  # a protection with an AWS resource"); the provider validates only that it is an ARN.
  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:${var.region}:[0-9]{12}:regional/webacl/[^/]+/[^/]+$", coalesce(var.web_acl_arn, "-")))
    error_message = "web_acl_arn must be a REGIONAL WAFv2 web ACL ARN in this module's region (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)."
  }
}

variable "waf" {
  description = "A web ACL created by the kit for this region's stage (create = true): default allow, one rate-based rule per source IP that blocks (action = \"block\") or only counts (\"count\") an address sending more than rate_limit requests in evaluation_window_sec seconds; CloudWatch metrics and sampled requests on, blocked and counted requests logged to aws-waf-logs-<name>. Not together with web_acl_arn."
  type = object({
    create                = optional(bool, false)
    rate_limit            = optional(number, 2000)
    evaluation_window_sec = optional(number, 300)
    action                = optional(string, "block")
  })
  default  = {}
  nullable = false

  # The provider's validators (internal/service/wafv2/schemas.go, rateBasedStatementSchema):
  # limit IntBetween(10, 2000000000), evaluation_window_sec IntInSlice(60, 120, 300, 600).
  validation {
    condition     = floor(var.waf.rate_limit) == var.waf.rate_limit && var.waf.rate_limit >= 10 && var.waf.rate_limit <= 2000000000
    error_message = "waf.rate_limit must be a whole number of requests between 10 and 2000000000 (AWS WAF's range for a rate-based rule)."
  }

  validation {
    condition     = contains([60, 120, 300, 600], var.waf.evaluation_window_sec)
    error_message = "waf.evaluation_window_sec must be 60, 120, 300 or 600 (the windows AWS WAF offers)."
  }

  validation {
    condition     = contains(["block", "count"], var.waf.action)
    error_message = "waf.action must be \"block\" (answer 403) or \"count\" (only count and log, to try a limit first)."
  }

  # One stage has at most one web ACL (AWS WAF API, AssociateWebACL).
  validation {
    condition     = !(var.waf.create && var.web_acl_arn != null)
    error_message = "Set waf.create = true or web_acl_arn, not both: a stage is associated with one web ACL."
  }
}

variable "domain" {
  description = "Custom domain served by this region (latency routing): the name, the Route 53 hosted zone that holds it, and the ARN of an issued ACM certificate for it (in this region; in us-east-1 for EDGE); null for none."
  type = object({
    name            = string
    hosted_zone_id  = string
    certificate_arn = string
  })
  default = null
}

variable "health_check" {
  description = "What Route 53 routes on (failover.tf; only with a domain): failing_minutes consecutive failing minutes of the canary, or of a 5xx share above error_rate_threshold, make the region unhealthy; the canary's timeout. Failover detection with the defaults: README, Failover."
  type = object({
    failing_minutes        = optional(number, 2)
    error_rate_threshold   = optional(number, 0.5)
    canary_timeout_seconds = optional(number, 30)
  })
  default  = {}
  nullable = false

  validation {
    condition     = floor(var.health_check.failing_minutes) == var.health_check.failing_minutes && var.health_check.failing_minutes >= 1 && var.health_check.failing_minutes <= 10
    error_message = "health_check.failing_minutes must be a whole number of minutes from 1 to 10."
  }

  validation {
    condition     = var.health_check.error_rate_threshold > 0 && var.health_check.error_rate_threshold < 1
    error_message = "health_check.error_rate_threshold is a share of requests: above 0 and below 1."
  }

  # Two tries of each probe (lambdas/triggers/canary.py: dependencies within 4 s, the front door within 5 s)
  # must fit, and a run must end before the next minute's.
  validation {
    condition     = var.health_check.canary_timeout_seconds >= 20 && var.health_check.canary_timeout_seconds <= 55
    error_message = "health_check.canary_timeout_seconds must be between 20 (two tries of each probe) and 55 (before the next minute's run)."
  }
}

variable "canary" {
  description = "The failover canary (failover.tf): function name, log group name and IAM role ARN from the global module; handler, package and the path of the contract's health operation (which it requests through this region's front door) from the route manifest (triggers.canary); null: none, for an API without a health operation (then Route 53 watches the region's 5xx share alone)."
  type = object({
    name           = string
    log_group_name = string
    role_arn       = string
    handler        = string
    package        = string
    path           = string
  })
  default = null
}

variable "alarms" {
  description = "CloudWatch alarms: 5xx rate of the stage, p99 latency, throttles per function, the failover canary. create_topic adds an encrypted SNS topic; actions are extra ARNs to notify, all in this region (a CloudWatch alarm notifies only a topic of its own region); certificate_actions those of the certificate-expiry alarm when it is in another region (EDGE: us-east-1)."
  type = object({
    create_topic             = optional(bool, false)
    actions                  = optional(list(string), [])
    certificate_actions      = optional(list(string), [])
    error_rate_threshold     = optional(number, 0.05)
    latency_p99_threshold_ms = optional(number, 2500)
    throttles_threshold      = optional(number, 0)
    period_seconds           = optional(number, 60)
    evaluation_periods       = optional(number, 5)
    datapoints_to_alarm      = optional(number, 3)
  })
  default  = {}
  nullable = false

  # "Invalid region X specified. Only Y is supported." (PutMetricAlarm): an alarm's actions are ARNs of its
  # own region (CloudWatch user guide, AlarmThatSendsEmail: the SNS topic must be in the alarm's region).
  validation {
    condition     = alltrue([for arn in var.alarms.actions : try(split(":", arn)[3] == var.region, false)])
    error_message = "alarms.actions must all be ARNs in ${var.region}: a CloudWatch alarm in ${var.region} can notify only a topic of ${var.region} (give each region its own, modules/api alarms.actions keyed by region)."
  }

  validation {
    condition     = alltrue([for arn in var.alarms.certificate_actions : try(split(":", arn)[3] == (var.endpoint_type == "EDGE" ? "us-east-1" : var.region), false)])
    error_message = "alarms.certificate_actions must all be ARNs in the certificate's region (us-east-1 for EDGE, else this region): the certificate-expiry alarm lives there."
  }
}

variable "create_api_gateway_account" {
  description = "Manage the region's API Gateway account setting (one per account and region, shared by every REST API there) with api_gateway_cloudwatch_role_arn. Off by default: it replaces whatever role other APIs use, and destroying it resets the setting for the whole region (provider 6). Turn it on in exactly one deployment per account and region."
  type        = bool
  default     = false
}

variable "api_gateway_cloudwatch_role_arn" {
  description = "ARN of the role API Gateway uses to write logs (from the global module); required when create_api_gateway_account is true."
  type        = string
  default     = null

  validation {
    condition     = !var.create_api_gateway_account || var.api_gateway_cloudwatch_role_arn != null
    error_message = "api_gateway_cloudwatch_role_arn is required when create_api_gateway_account is true."
  }
}

variable "release_settings" {
  description = "How a release reaches this region: id (the release it serves, build/releases/<id>, written by make release), alias_name (what the API invokes), deployment_config (CodeDeploy's traffic shifting for each function), codedeploy_role_arn (CodeDeploy's service role, from the global module) and publish_timeout (how long an apply waits for a published version to become Active)."
  type = object({
    id                  = optional(string, "working-tree")
    alias_name          = optional(string, "live")
    deployment_config   = optional(string, "CodeDeployDefault.LambdaCanary10Percent5Minutes")
    codedeploy_role_arn = string
    publish_timeout     = optional(string, "30m")
  })
  nullable = false

  # Alias names: 1-128 of [a-zA-Z0-9-_], not only digits (a version number) (Lambda API, CreateAlias Name).
  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,128}$", var.release_settings.alias_name)) && !can(regex("^[0-9]+$", var.release_settings.alias_name))
    error_message = "release_settings.alias_name must be 1-128 letters, digits, - or _, and not only digits (that names a version): e.g. live."
  }

  # The predefined Lambda configurations are CodeDeployDefault.Lambda* (codedeploy userguide,
  # deployment-configurations); a custom one must be created for the Lambda compute platform.
  validation {
    condition     = !startswith(var.release_settings.deployment_config, "CodeDeployDefault.") || startswith(var.release_settings.deployment_config, "CodeDeployDefault.Lambda")
    error_message = "release_settings.deployment_config ${var.release_settings.deployment_config} is not a Lambda configuration: use CodeDeployDefault.LambdaCanary10Percent5Minutes, another CodeDeployDefault.Lambda* or your own Lambda deployment configuration."
  }

  validation {
    condition     = can(regex("^[0-9]+[smh]$", var.release_settings.publish_timeout))
    error_message = "release_settings.publish_timeout must be a duration such as 30m (digits then s, m or h)."
  }
}
