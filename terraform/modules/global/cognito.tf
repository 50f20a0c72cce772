################################################################################
# Cognito: one user pool in the primary region (API Gateway authorizers in every
# region may name a pool of another region), the contract's resource server, the
# mobile app client (end users) and the operator client (operators), kept apart
################################################################################

locals {
  # Managed login grants an app client every scope of its allowed list that the request asks for; it has
  # no per-user limit on scopes but the pre token generation trigger (trigger.tf) ("Understanding the access token",
  # https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html).
  # So scopes reserved to a group (operators) are never on the mobile client's list: only the operator
  # client, whose secret stays with the operators' tooling, may grant them, and the handler checks the
  # caller's `cognito:groups` too.
  # Scopes as tokens carry them: the manifest's `sent_as` (contract/compiled.py builds the string once).
  resource_server_scopes = [for name in keys(var.resource_server.scopes) : var.resource_server.sent_as[name]]
  group_scopes           = [for name in keys(var.resource_server.scope_groups) : var.resource_server.sent_as[name]]
  end_user_scopes        = setsubtract(local.resource_server_scopes, local.group_scopes)
  groups                 = toset(values(var.resource_server.scope_groups))
  explicit_auth_flows = concat(
    ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    var.cognito.allow_user_password_auth ? ["ALLOW_USER_PASSWORD_AUTH"] : [],
  )
}

resource "aws_cognito_user_pool" "this" {
  region = var.primary_region

  name = var.name
  # Access-token customization (the V2_0 trigger below) needs the Essentials or Plus feature plan
  # (cognito-sign-in-feature-plans); the variable's validation refuses LITE at plan time.
  user_pool_tier           = var.cognito.user_pool_tier
  deletion_protection      = var.cognito.enable_deletion_protection ? "ACTIVE" : "INACTIVE"
  mfa_configuration        = "OPTIONAL"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  # COGNITO_DEFAULT sends with Cognito's own sender and its low daily quota (not for production);
  # DEVELOPER sends through the caller's verified SES identity (API_EmailConfigurationType).
  email_configuration {
    email_sending_account  = var.cognito.email.sending_account
    source_arn             = var.cognito.email.source_arn
    from_email_address     = var.cognito.email.from_email_address
    reply_to_email_address = var.cognito.email.reply_to_email_address
    configuration_set      = var.cognito.email.configuration_set
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  # Self sign-up only when asked for: anyone on the internet may then create an end-user account.
  admin_create_user_config {
    allow_admin_create_user_only = !var.cognito.allow_self_sign_up
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = true
    require_uppercase                = true
    temporary_password_validity_days = 3
  }

  software_token_mfa_configuration {
    enabled = true
  }

  username_configuration {
    case_sensitive = false
  }

  # The ARN is built (trigger.tf): the function's environment names the app clients, which need this pool.
  lambda_config {
    pre_token_generation_config {
      lambda_arn     = local.pre_token_generation_arn
      lambda_version = "V2_0"
    }
  }
}

resource "aws_cognito_user_pool_domain" "this" {
  region = var.primary_region

  domain       = coalesce(var.cognito.domain_prefix, "${var.name}-${local.account_id}")
  user_pool_id = aws_cognito_user_pool.this.id

  # Installed apps sign in at this URL: a destroy or a replacement would break every one of them. A plan that
  # would delete it fails before anything is deleted (README: destroying on purpose).
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_cognito_resource_server" "this" {
  region = var.primary_region

  identifier   = var.resource_server.identifier
  name         = "${var.name}-${var.resource_server.identifier}"
  user_pool_id = aws_cognito_user_pool.this.id

  dynamic "scope" {
    for_each = var.resource_server.scopes

    content {
      scope_name        = scope.key
      scope_description = scope.value
    }
  }
}

# A public client: a mobile app cannot keep a client secret. It signs in through InitiateAuth with
# USER_SRP_AUTH (the Amplify default: the password never leaves the device) or through managed login
# (authorization code + PKCE), and refreshes with REFRESH_TOKEN_AUTH or at the token endpoint.
# InitiateAuth alone would issue access tokens with aws.cognito.signin.user.admin only ("InitiateAuth or
# AdminInitiate don't return custom scopes in the access token",
# https://repost.aws/knowledge-center/api-calls-access-tokens-custom-scopes): the pre token generation
# trigger (trigger.tf) adds the end-user scopes. USER_PASSWORD_AUTH is opt-in
# (cognito.allow_user_password_auth): it sends the password itself to Cognito, which SRP never does.
resource "aws_cognito_user_pool_client" "this" {
  region = var.primary_region

  name                                 = "${var.name}-mobile"
  user_pool_id                         = aws_cognito_user_pool.this.id
  generate_secret                      = false
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = concat(["openid", "email", "profile"], sort(local.end_user_scopes))
  callback_urls                        = var.cognito.callback_urls
  logout_urls                          = var.cognito.logout_urls
  supported_identity_providers         = ["COGNITO"]
  explicit_auth_flows                  = local.explicit_auth_flows
  prevent_user_existence_errors        = "ENABLED"
  enable_token_revocation              = true
  access_token_validity                = var.cognito.access_token_minutes
  id_token_validity                    = var.cognito.id_token_minutes
  refresh_token_validity               = var.cognito.refresh_token_days

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }

  # The scopes are named by string: they must exist before a client may allow them.
  depends_on = [aws_cognito_resource_server.this]

  # Installed app builds carry this client's id: a recreated client gets a new one and they cannot sign in.
  # A destroy, or a replacement of the pool, fails at plan before anything is deleted (README).
  lifecycle {
    prevent_destroy = true
  }
}

# Operators sign in through their own confidential client (authorization code + PKCE or SRP, with the
# client secret their tooling keeps): the only client that may grant the group scopes, and the trigger
# adds or keeps them only for members of the group. Membership is given by an administrator
# (AdminAddUserToGroup); the handler refuses callers outside it as well.
resource "aws_cognito_user_pool_client" "operator" {
  count = length(local.group_scopes) > 0 ? 1 : 0

  region = var.primary_region

  name                                 = "${var.name}-operator"
  user_pool_id                         = aws_cognito_user_pool.this.id
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = concat(["openid"], sort(local.group_scopes))
  callback_urls                        = var.cognito.operator_callback_urls
  supported_identity_providers         = ["COGNITO"]
  explicit_auth_flows                  = local.explicit_auth_flows
  prevent_user_existence_errors        = "ENABLED"
  enable_token_revocation              = true
  access_token_validity                = 15
  id_token_validity                    = 15
  refresh_token_validity               = 1

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }

  depends_on = [aws_cognito_resource_server.this]

  # The operators' tooling carries this client's id and secret.
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_cognito_user_group" "this" {
  for_each = local.groups

  region = var.primary_region

  name         = each.key
  description  = "Members alone may hold the scopes ${join(", ", [for name, group in var.resource_server.scope_groups : var.resource_server.sent_as[name] if group == each.key])}"
  user_pool_id = aws_cognito_user_pool.this.id
}
