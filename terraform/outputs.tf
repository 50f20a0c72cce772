# The outputs of modules/api, one for one.

output "primary_region" {
  description = "The primary region (user pool, primary table, secret and KMS key)."
  value       = module.api.primary_region
}

output "invoke_urls" {
  description = "Invoke URL of the stage in each region, keyed by region."
  value       = module.api.invoke_urls
}

output "api_url" {
  description = "https://<domain_name> (latency-routed to the nearest healthy region); null without a domain."
  value       = module.api.api_url
}

output "api_ids" {
  description = "ID of the REST API in each region, keyed by region."
  value       = module.api.api_ids
}

output "function_names" {
  description = "Function name per operation_id (the same in every region)."
  value       = module.api.function_names
}

output "health_check_ids" {
  description = "Route 53 health check ID of each region (with a domain), keyed by region."
  value       = module.api.health_check_ids
}

output "alarm_topic_arns" {
  description = "Alarm SNS topic ARN of each region (with alarms.create_topic), keyed by region."
  value       = module.api.alarm_topic_arns
}

output "table_name" {
  description = "Name of the DynamoDB global table (TABLE_NAME)."
  value       = module.api.table_name
}

output "secret_name" {
  description = "Name of the replicated application secret (SECRET_ID)."
  value       = module.api.secret_name
}

output "user_pool_id" {
  description = "ID of the Cognito user pool."
  value       = module.api.user_pool_id
}

output "operator_client_id" {
  description = "ID of the operator app client (confidential; null when no scope is reserved to a group)."
  value       = module.api.operator_client_id
}

output "user_pool_client_id" {
  description = "ID of the mobile app client (public client, no secret)."
  value       = module.api.user_pool_client_id
}

output "user_pool_domain" {
  description = "Hosted-UI domain prefix: https://<prefix>.auth.<primary region>.amazoncognito.com."
  value       = module.api.user_pool_domain
}

output "oauth_scopes" {
  description = "Full scope identifiers the mobile client may request."
  value       = module.api.oauth_scopes
}

output "stage_arns" {
  description = "ARN of the stage in each region, keyed by region (WAF associations, IAM conditions)."
  value       = module.api.stage_arns
}

output "web_acl_arns" {
  description = "ARN of the web ACL associated with each region's stage (the kit's with waf.create, or the given one), keyed by region; null where none."
  value       = module.api.web_acl_arns
}

output "failover_detection_seconds" {
  description = "Worst-case seconds from a region failing until its callers resolve another region (modules/api)."
  value       = module.api.failover_detection_seconds
}

output "releases" {
  description = "Per region, what make release reads: the release id served, the CodeDeploy application, the alarms that stop a deployment, and per operation_id the function, alias, latest published version and deployment group."
  value       = module.api.releases
}
