################################################################################
# Cognito: one user pool in the primary region (API Gateway authorizers in every
# region may name a pool of another region), the mobile app client, the contract's
# resource server
################################################################################

resource "aws_cognito_user_pool" "this" {
  region = var.primary_region

  name                     = var.name
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

  admin_create_user_config {
    allow_admin_create_user_only = false
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
}

resource "aws_cognito_user_pool_domain" "this" {
  region = var.primary_region

  domain       = coalesce(var.cognito.domain_prefix, "${var.name}-${local.account_id}")
  user_pool_id = aws_cognito_user_pool.this.id
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

# A public client: a mobile app cannot keep a client secret, so it uses the
# authorization-code flow with PKCE through the hosted UI.
resource "aws_cognito_user_pool_client" "this" {
  region = var.primary_region

  name                                 = "${var.name}-mobile"
  user_pool_id                         = aws_cognito_user_pool.this.id
  generate_secret                      = false
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = concat(["openid", "email", "profile"], aws_cognito_resource_server.this.scope_identifiers)
  callback_urls                        = var.cognito.callback_urls
  logout_urls                          = var.cognito.logout_urls
  supported_identity_providers         = ["COGNITO"]
  explicit_auth_flows                  = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
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
}
