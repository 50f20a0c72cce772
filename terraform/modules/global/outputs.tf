output "table_name" {
  description = "Name of the DynamoDB global table (the same in every region)."
  value       = aws_dynamodb_table.this.name
}

output "table_arns" {
  description = "ARN of the table's replica in each region, keyed by region."
  value       = local.table_arns
}

output "table_consistency_mode" {
  description = "Consistency mode of the global table (EVENTUAL or STRONG), the functions' TABLE_CONSISTENCY."
  value       = var.table.consistency_mode
}

output "table_stream_arn" {
  description = "ARN of the primary table's stream (NEW_AND_OLD_IMAGES)."
  value       = aws_dynamodb_table.this.stream_arn
}

output "kms_key_arns" {
  description = "ARN of the multi-Region KMS key in each region (primary or replica), keyed by region."
  value       = local.kms_key_arns
}

output "secret_name" {
  description = "Name of the application secret (the same in every region): the functions' SECRET_ID."
  value       = aws_secretsmanager_secret.this.name
}

output "secret_arns" {
  description = "ARN of the secret (primary or replica) in each region, keyed by region."
  value       = local.secret_arns
}

output "user_pool_id" {
  description = "ID of the Cognito user pool."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_arn" {
  description = "ARN of the Cognito user pool, named by every region's authorizer."
  value       = aws_cognito_user_pool.this.arn
}

output "user_pool_endpoint" {
  description = "Issuer endpoint of the user pool (JWT `iss` without the scheme)."
  value       = aws_cognito_user_pool.this.endpoint
}

output "operator_client_id" {
  description = "ID of the operator app client (confidential; null when no scope is reserved to a group)."
  value       = try(aws_cognito_user_pool_client.operator[0].id, null)
}

output "user_pool_client_id" {
  description = "ID of the mobile app client (public: no secret)."
  value       = aws_cognito_user_pool_client.this.id
}

output "user_pool_domain" {
  description = "Hosted-UI domain prefix of the user pool (https://<prefix>.auth.<primary region>.amazoncognito.com)."
  value       = aws_cognito_user_pool_domain.this.domain
}

output "resource_server_scopes" {
  description = "Full scope identifiers (<identifier>/<scope>) of the resource server."
  value       = aws_cognito_resource_server.this.scope_identifiers
}

output "functions" {
  description = "Per operation_id: the function name, its log group name and its IAM role ARN, for the regional module."
  value = {
    for operation_id, function in local.functions : operation_id => {
      name           = function.name
      log_group_name = function.log_group_name
      role_arn       = aws_iam_role.function[operation_id].arn
    }
  }

  # A function must not start before its role can write logs and traces.
  depends_on = [aws_iam_role_policy.function]
}

output "api_gateway_cloudwatch_role_arn" {
  description = "ARN of the role API Gateway uses to write logs; null when create_api_gateway_cloudwatch_role is false."
  value       = try(aws_iam_role.api_gateway_cloudwatch[0].arn, null)

  # UpdateAccount must not run before the role can write logs (the provider only retries it).
  depends_on = [aws_iam_role_policy_attachment.api_gateway_cloudwatch]
}

output "codedeploy_role_arn" {
  description = "ARN of the role CodeDeploy uses for every region's deployment groups (make release)."
  value       = aws_iam_role.codedeploy.arn
}

output "canary" {
  description = "The failover canary of every region (modules/regional failover.tf): function name, log group name and IAM role ARN (the health operation's grants); null without canary_operation_id."
  value = local.canary == null ? null : {
    name           = local.canary.name
    log_group_name = local.canary.log_group_name
    role_arn       = aws_iam_role.function["triggers.canary"].arn
  }

  depends_on = [aws_iam_role_policy.function]
}
