# The root only passes its inputs on to modules/api, which states the interface once: types,
# defaults (null here means "the module's default") and validations live there, see
# modules/api/README.md. Objects and maps are `any` here so that their optional attributes and
# defaults are not repeated; tests/terraform/test_tf_interface.py keeps this file in step.

variable "regions" {
  description = "Regions to serve the API from; the first is the primary unless primary_region says otherwise (modules/api)."
  type        = list(string)
}

variable "primary_region" {
  description = "modules/api input `primary_region`; null: the module's default."
  type        = string
  default     = null
}

variable "name" {
  description = "modules/api input `name`; null: the module's default."
  type        = string
  default     = null
}

variable "domain_name" {
  description = "modules/api input `domain_name`; null: the module's default."
  type        = string
  default     = null
}

variable "hosted_zone_id" {
  description = "modules/api input `hosted_zone_id`; null: the module's default."
  type        = string
  default     = null
}

variable "endpoint_type" {
  description = "modules/api input `endpoint_type`; null: the module's default."
  type        = string
  default     = null
}

variable "stage_name" {
  description = "modules/api input `stage_name`; null: the module's default."
  type        = string
  default     = null
}

variable "lambda_settings" {
  description = "modules/api input `lambda_settings`; null: the module's default."
  type        = any
  default     = null
}

variable "throttling" {
  description = "modules/api input `throttling`; null: the module's default."
  type        = any
  default     = null
}

variable "region_settings" {
  description = "modules/api input `region_settings`; null: the module's default."
  type        = any
  default     = null
}

variable "log_retention_in_days" {
  description = "modules/api input `log_retention_in_days`; null: the module's default."
  type        = number
  default     = null
}

variable "alarms" {
  description = "modules/api input `alarms`; null: the module's default."
  type        = any
  default     = null
}

variable "health_check" {
  description = "modules/api input `health_check`; null: the module's default."
  type        = any
  default     = null
}

variable "table" {
  description = "modules/api input `table`; null: the module's default."
  type        = any
  default     = null
}

variable "cognito" {
  description = "modules/api input `cognito`; null: the module's default."
  type        = any
  default     = null
}

variable "resources" {
  description = "modules/api input `resources`; null: the module's default."
  type        = any
  default     = null
}

variable "secret" {
  description = "modules/api input `secret`; null: the module's default."
  type        = any
  default     = null
}

variable "create_api_gateway_account" {
  description = "modules/api input `create_api_gateway_account`; null: the module's default."
  type        = bool
  default     = null
}

variable "openapi_path" {
  description = "modules/api input `openapi_path`; null: the module's default."
  type        = string
  default     = null
}

variable "routes_path" {
  description = "modules/api input `routes_path`; null: the module's default."
  type        = string
  default     = null
}

variable "package_dir" {
  description = "modules/api input `package_dir`; null: the module's default."
  type        = string
  default     = null
}

variable "health_throttling" {
  description = "modules/api input `health_throttling`; null: the module's default."
  type        = any
  default     = null
}

variable "web_acl_arns" {
  description = "modules/api input `web_acl_arns`; null: the module's default."
  type        = any
  default     = null
}

variable "waf" {
  description = "modules/api input `waf`; null: the module's default."
  type        = any
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (provider default_tags), besides app = name."
  type        = map(string)
  default     = {}
}

variable "release" {
  description = "modules/api input `release`; null: the module's default."
  type        = any
  default     = null
}
