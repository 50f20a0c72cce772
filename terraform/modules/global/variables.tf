variable "name" {
  description = "Name prefix of every resource (table, user pool, secret, roles)."
  type        = string

  validation {
    # 3 characters at least: the table is named after it and DynamoDB table names are 3-255
    # characters (DynamoDB developer guide, HowItWorks.NamingRulesDataTypes); the provider has no validator.
    condition     = can(regex("^[a-z][a-z0-9-]{2,23}$", var.name))
    error_message = "name must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter (a DynamoDB table name needs at least 3)."
  }
}

variable "regions" {
  description = "Every region the API is served from; the table and the secret get a replica in each of them."
  type        = list(string)

  validation {
    condition     = length(var.regions) > 0 && length(var.regions) == length(distinct(var.regions))
    error_message = "regions must be a non-empty list without duplicates."
  }
}

variable "primary_region" {
  description = "Region of the primary table, the user pool, the primary secret and the primary KMS key; one of regions."
  type        = string

  validation {
    condition     = contains(var.regions, var.primary_region)
    error_message = "primary_region must be one of regions."
  }
}

variable "operations" {
  description = "The operations of the route manifest (api/routes.json `operations`), keyed by operation_id: `table_modes` the table modes its handler runs on, `grants` its function's IAM actions per table mode (by resource: serving_table, home_table on the primary's replica or, when home_replicas is `entity`, on every replica (each entity's own home), secret, table_key, secret_key), `access` every action its handler calls on the kit's table and secret, `calls` its calls to the team's own resources (their ARNs: variable resources)."
  type = map(object({
    method      = string
    path        = string
    access      = list(string)
    table_modes = list(string)
    grants = map(object({
      serving_table = list(string)
      home_table    = list(string)
      home_replicas = string
      secret        = list(string)
      table_key     = list(string)
      secret_key    = list(string)
    }))
    # Its calls to the team's own resources (contract/calls.py), by resource name (variable resources).
    calls = optional(list(object({
      sid         = string
      resource    = string
      service     = string
      actions     = list(string)
      under       = string
      key_actions = list(string)
      environment = string
      arn_format  = string
      arn_regex   = string
      regional    = bool
    })), [])
  }))

  validation {
    condition = alltrue(flatten([
      for operation in values(var.operations) : [
        for access in operation.access : can(regex("^(dynamodb|secretsmanager):[A-Z][A-Za-z]+$", access))
      ]
    ]))
    error_message = "access values must be DynamoDB or Secrets Manager IAM actions such as dynamodb:GetItem (contract/operation.py Access)."
  }

  # Each function and its role are named "<name>-<operation_id>": IAM role names and Lambda
  # function names are at most 64 characters (IAM API CreateRole RoleName; Lambda API
  # CreateFunction FunctionName). contract/operation.py refuses operation ids that cannot fit the
  # longest name; this catches a shorter limit meeting a long name.
  validation {
    condition     = alltrue([for operation_id in keys(var.operations) : length("${var.name}-${operation_id}") <= 64])
    error_message = "Every \"<name>-<operation_id>\" (function and role name) must be at most 64 characters: shorten name or the operation id."
  }
}

variable "resources" {
  description = "The team's own AWS resources the operations call (api/routes.json `calls`, contract/calls.py), by the name the contract gives them: `arns` their ARN in each region (a regional type's ARN names that region; one ARN may serve every region where the type's ARNs carry no region, as S3 buckets'), `kms_key_arns` the customer managed key that encrypts each region's copy, if any (the calls' key_actions are granted on it, through the resource's service only)."
  type = map(object({
    arns         = map(string)
    kms_key_arns = optional(map(string), {})
  }))
  default  = {}
  nullable = false

  # Every resource a call names, and nothing else: a resource left out would fail every call at run time
  # (no <NAME>_ARN, no grant), a name no call declares is a typo or a leftover.
  validation {
    condition     = length(setsubtract(distinct(flatten([for operation in values(var.operations) : operation.calls[*].resource])), keys(var.resources))) == 0
    error_message = "resources must give the ARNs of every resource the operations call (contract/calls.py Resource): missing ${join(", ", setsubtract(distinct(flatten([for operation in values(var.operations) : operation.calls[*].resource])), keys(var.resources)))}."
  }

  validation {
    condition     = length(setsubtract(keys(var.resources), flatten([for operation in values(var.operations) : operation.calls[*].resource]))) == 0
    error_message = "resources names resources no operation calls: ${join(", ", setsubtract(keys(var.resources), flatten([for operation in values(var.operations) : operation.calls[*].resource])))} (a typo, or a call removed from the contract)."
  }

  validation {
    condition     = alltrue([for name, resource in var.resources : length(setsubtract(var.regions, keys(resource.arns))) == 0 && length(setsubtract(keys(resource.arns), var.regions)) == 0])
    error_message = "resources.<name>.arns must map every region of regions, and only those, to the resource's ARN there: ${join("; ", [for name, resource in var.resources : "${name} has ${jsonencode(sort(keys(resource.arns)))}" if length(setsubtract(var.regions, keys(resource.arns))) + length(setsubtract(keys(resource.arns), var.regions)) > 0])}."
  }

  # The ARN of the type the contract declares (its format from the Service Authorization Reference, compiled
  # to arn_regex by contract/calls.py), and in the region it serves unless the type's ARNs carry no region
  # (IAM user guide, reference-arns.html: "the ARNs for some resources omit the Region").
  validation {
    condition = alltrue(flatten([
      for operation in values(var.operations) : [
        for call in operation.calls : [
          for region, arn in try(var.resources[call.resource].arns, {}) :
          can(regex(call.arn_regex, arn)) && (!call.regional || try(regex(call.arn_regex, arn).region == region, false))
        ]
      ]
    ]))
    error_message = "Every resources.<name>.arns value must be an ARN of the declared type, whose Region (if its format has one) is the region it is given for: ${join("; ", distinct(flatten([for name, resource in var.resources : [for region, arn in resource.arns : [for call in flatten(values(var.operations)[*].calls) : "${name} in ${region}: ${arn} is not ${call.arn_format}" if call.resource == name && !(can(regex(call.arn_regex, arn)) && (!call.regional || try(regex(call.arn_regex, arn).region == region, false)))]]])))}."
  }

  # A service uses a key of the resource's own region (KMS keys are regional; AWS KMS developer guide, "Regions").
  validation {
    condition = alltrue(flatten([
      for name, resource in var.resources : [
        for region, arn in resource.kms_key_arns :
        contains(var.regions, region) && can(regex("^arn:aws(-[a-z]+)*:kms:${region}:[0-9]{12}:key/[A-Za-z0-9-]+$", arn))
      ]
    ]))
    error_message = "resources.<name>.kms_key_arns maps a region of regions to a KMS key ARN of that region (arn:<partition>:kms:<region>:<account>:key/<key id>)."
  }
}

variable "canary_operation_id" {
  description = "The operation whose checks the failover canary runs (the contract's health operation, api/routes.json `triggers.canary.operation_id`): the canary's role gets that operation's grants; null: no canary role."
  type        = string
  default     = null

  validation {
    condition     = var.canary_operation_id == null || contains(keys(var.operations), coalesce(var.canary_operation_id, "-"))
    error_message = "canary_operation_id must name an operation of the route manifest (its triggers.canary.operation_id)."
  }
}

variable "resource_server" {
  description = "The contract's OAuth resource server (api/routes.json `resource_server`): identifier, scope name => description, scope name => the Cognito group whose members alone may hold it (only the operator client grants those), and scope name => the scope as tokens carry it."
  type = object({
    identifier   = string
    scopes       = map(string)
    scope_groups = optional(map(string), {})
    sent_as      = optional(map(string), {})
  })
}

variable "table" {
  description = "DynamoDB global table settings. consistency_mode STRONG (multi-Region strong consistency) needs exactly 3 regions, or 2 regions plus witness_region, all in one MRSC region set, and no TTL; it is fixed once the table exists (changing it is a migration, README). enable_ttl null: on for EVENTUAL, off for STRONG. point_in_time_recovery_days applies to the primary only: replicas keep 35 days (the provider's replica block has no retention)."
  type = object({
    name                        = optional(string)
    consistency_mode            = optional(string, "EVENTUAL")
    witness_region              = optional(string)
    enable_deletion_protection  = optional(bool, true)
    enable_ttl                  = optional(bool)
    ttl_attribute               = optional(string, "expires_at")
    point_in_time_recovery_days = optional(number, 35)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["EVENTUAL", "STRONG"], var.table.consistency_mode)
    error_message = "table.consistency_mode must be EVENTUAL or STRONG."
  }

  validation {
    condition = var.table.consistency_mode != "STRONG" || (
      (length(var.regions) == 3 && var.table.witness_region == null) ||
      (length(var.regions) == 2 && var.table.witness_region != null && !contains(var.regions, coalesce(var.table.witness_region, "-")))
    )
    error_message = "Multi-Region strong consistency needs exactly 3 regions, or exactly 2 regions plus a witness_region that is not one of them."
  }

  validation {
    condition = var.table.consistency_mode != "STRONG" || anytrue([
      for set in [
        ["us-east-1", "us-east-2", "us-west-2"],
        ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
        ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
      ] : length(setsubtract(compact(concat(var.regions, [var.table.witness_region])), set)) == 0
    ])
    error_message = "Multi-Region strong consistency needs every region (and the witness) in one region set: US (us-east-1, us-east-2, us-west-2), EU (eu-west-1, eu-west-2, eu-west-3, eu-central-1) or AP (ap-northeast-1, ap-northeast-2, ap-northeast-3)."
  }

  validation {
    condition     = var.table.witness_region == null || var.table.consistency_mode == "STRONG"
    error_message = "table.witness_region only applies to consistency_mode STRONG."
  }

  # The handlers must run on the table: a STRONG (MRSC) table refuses transactions and TTL (DynamoDB
  # developer guide, V2globaltables_HowItWorks), so the manifest says which modes each handler supports
  # (contract/operation.py table_modes) and has grants for those modes only.
  validation {
    condition     = alltrue([for operation in values(var.operations) : contains(operation.table_modes, var.table.consistency_mode)])
    error_message = "table.consistency_mode ${var.table.consistency_mode} is not supported by the handler code of: ${join(", ", sort([for id, operation in var.operations : id if !contains(operation.table_modes, var.table.consistency_mode)]))} (api/routes.json table_modes). Regenerate the manifest with handlers that support it (make swagger), or keep EVENTUAL."
  }

  # "Time to live (TTL) is not supported for MRSC global tables" (DynamoDB developer guide,
  # V2globaltables_HowItWorks, multi-Region strong consistency): the provider would create the
  # table, enable TTL and then fail adding the MRSC replicas.
  validation {
    condition     = var.table.consistency_mode != "STRONG" || var.table.enable_ttl != true
    error_message = "table.enable_ttl must be false (or null) with consistency_mode STRONG: DynamoDB does not support TTL on multi-Region strongly consistent tables."
  }

  validation {
    condition     = var.table.point_in_time_recovery_days >= 1 && var.table.point_in_time_recovery_days <= 35
    error_message = "table.point_in_time_recovery_days must be between 1 and 35."
  }
}

variable "cognito" {
  description = "Cognito settings: the mobile app client (OAuth callback and logout URLs, token lifetimes), the hosted-UI domain prefix (null: <name>-<account id>), allow_self_sign_up (false: only administrators create users), allow_user_password_auth (false: the app clients allow SRP, not InitiateAuth USER_PASSWORD_AUTH, which sends the password itself), user_pool_tier (ESSENTIALS or PLUS: the pre token generation trigger needs one of them), the operator client's callback URLs; email: COGNITO_DEFAULT (Cognito's own sender, a low daily limit: not for production) or DEVELOPER with a verified SES identity (source_arn)."
  type = object({
    callback_urls              = optional(list(string), ["app://auth/callback"])
    logout_urls                = optional(list(string), ["app://auth/logout"])
    domain_prefix              = optional(string)
    access_token_minutes       = optional(number, 60)
    id_token_minutes           = optional(number, 60)
    refresh_token_days         = optional(number, 30)
    enable_deletion_protection = optional(bool, true)
    allow_self_sign_up         = optional(bool, false)
    allow_user_password_auth   = optional(bool, false)
    user_pool_tier             = optional(string, "ESSENTIALS")
    operator_callback_urls     = optional(list(string), ["http://localhost:8400/callback"])
    email = optional(object({
      sending_account        = optional(string, "COGNITO_DEFAULT")
      source_arn             = optional(string)
      from_email_address     = optional(string)
      reply_to_email_address = optional(string)
      configuration_set      = optional(string)
    }), {})
  })
  default  = {}
  nullable = false

  # The pre token generation trigger is a V2_0 event (access-token customization), which only the
  # Essentials and Plus feature plans run (Cognito developer guide, user-pool-lambda-pre-token-generation
  # and cognito-sign-in-feature-plans). On LITE, InitiateAuth tokens would carry no API scope.
  validation {
    condition     = contains(["ESSENTIALS", "PLUS"], var.cognito.user_pool_tier)
    error_message = "cognito.user_pool_tier must be ESSENTIALS or PLUS: the pre token generation trigger (event V2_0) that puts the API's scopes into InitiateAuth (SRP, password, refresh) tokens needs access-token customization, which the LITE plan does not have."
  }

  # "The prefix ... can't contain reserved words like aws, amazon, or cognito" (Cognito developer guide,
  # cognito-user-pools-assign-domain-prefix); CreateUserPoolDomain's Domain pattern
  # ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$. The default prefix is "<name>-<account id>".
  validation {
    condition     = !can(regex("aws|amazon|cognito", coalesce(var.cognito.domain_prefix, var.name)))
    error_message = "The hosted-UI domain prefix (cognito.domain_prefix, else \"<name>-<account id>\") must not contain aws, amazon or cognito (Cognito refuses them): set cognito.domain_prefix to a name without them."
  }

  validation {
    condition     = var.cognito.domain_prefix == null || can(regex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", coalesce(var.cognito.domain_prefix, "-")))
    error_message = "cognito.domain_prefix must be 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen."
  }

  # Values of the provider's validators (internal/service/cognitoidp/user_pool.go,
  # email_configuration: email_sending_account StringInSlice, source_arn ValidARN) and the Cognito
  # API rule that DEVELOPER needs a SES identity (API_EmailConfigurationType).
  validation {
    condition     = contains(["COGNITO_DEFAULT", "DEVELOPER"], var.cognito.email.sending_account)
    error_message = "cognito.email.sending_account must be COGNITO_DEFAULT or DEVELOPER."
  }

  validation {
    condition     = var.cognito.email.sending_account != "DEVELOPER" || can(regex("^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:identity/.+$", coalesce(var.cognito.email.source_arn, "-")))
    error_message = "cognito.email.source_arn must be the ARN of a verified SES identity (arn:aws:ses:<region>:<account>:identity/<email or domain>) when sending_account is DEVELOPER."
  }
}

variable "pre_token_generation" {
  description = "The user pool's pre token generation trigger: handler and package from the route manifest (api/routes.json `triggers.pre_token_generation`), the directory of the package (`make package`), and its Lambda runtime, architecture, LOG_LEVEL and log retention."
  type = object({
    handler               = string
    package               = string
    package_dir           = string
    runtime               = optional(string, "python3.13")
    architecture          = optional(string, "arm64")
    log_level             = optional(string, "INFO")
    log_retention_in_days = optional(number, 365)
  })
}

variable "secret" {
  description = "Application secret settings. With generate_value, Terraform writes {\"cursor_hmac_key\": <random>} through a write-only argument (never stored in state); bump value_version to rotate. Without it, set the value out of band."
  type = object({
    generate_value          = optional(bool, true)
    value_version           = optional(number, 1)
    recovery_window_in_days = optional(number, 7)
  })
  default  = {}
  nullable = false
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period before the KMS keys are deleted after a destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be between 7 and 30."
  }
}

variable "create_api_gateway_cloudwatch_role" {
  description = "Create the IAM role API Gateway needs to write access and execution logs (set on the account by the regional module)."
  type        = bool
  default     = true
}
