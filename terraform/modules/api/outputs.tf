output "primary_region" {
  description = "The primary region (user pool, primary table, secret and KMS key)."
  value       = local.primary_region
}

output "invoke_urls" {
  description = "Invoke URL of the stage in each region, keyed by region."
  value       = { for region, instance in module.regional : region => instance.stage_invoke_url }
}

output "api_url" {
  description = "https://<domain_name> (latency-routed to the nearest healthy region); null without a domain."
  value       = var.domain_name == null ? null : "https://${var.domain_name}"
}

output "api_ids" {
  description = "ID of the REST API in each region, keyed by region."
  value       = { for region, instance in module.regional : region => instance.api_id }
}

output "function_names" {
  description = "Function name per operation_id (the same in every region)."
  value       = { for operation_id, function in module.global.functions : operation_id => function.name }
}

output "health_check_ids" {
  description = "Route 53 health check of each region (with a domain; a calculated check of the failover canary's and the error rate's alarms), keyed by region."
  value       = { for region, instance in module.regional : region => instance.health_check_id }
}

output "alarm_topic_arns" {
  description = "Alarm SNS topic ARN of each region (with alarms.create_topic), keyed by region."
  value       = { for region, instance in module.regional : region => instance.alarm_topic_arn }
}

output "table_name" {
  description = "Name of the DynamoDB global table (TABLE_NAME)."
  value       = module.global.table_name
}

output "secret_name" {
  description = "Name of the replicated application secret (SECRET_ID)."
  value       = module.global.secret_name
}

output "user_pool_id" {
  description = "ID of the Cognito user pool."
  value       = module.global.user_pool_id
}

output "operator_client_id" {
  description = "ID of the operator app client (confidential; null when no scope is reserved to a group)."
  value       = module.global.operator_client_id
}

output "user_pool_client_id" {
  description = "ID of the mobile app client (public client, no secret)."
  value       = module.global.user_pool_client_id
}

output "user_pool_domain" {
  description = "Hosted-UI domain prefix: https://<prefix>.auth.<primary region>.amazoncognito.com."
  value       = module.global.user_pool_domain
}

output "oauth_scopes" {
  description = "Full scope identifiers the mobile client may request."
  value       = module.global.resource_server_scopes
}

output "name" {
  description = "Name of the deployment (the roots tag every resource with app = name)."
  value       = var.name
}

output "stage_arns" {
  description = "ARN of the stage in each region, keyed by region (WAF associations, IAM conditions)."
  value       = { for region, instance in module.regional : region => instance.stage_arn }
}

output "web_acl_arns" {
  description = "ARN of the web ACL associated with each region's stage (the kit's with waf.create, or the given one), keyed by region; null where none."
  value       = { for region, instance in module.regional : region => instance.web_acl_arn }
}

output "failover_detection_seconds" {
  description = "Worst-case seconds from a region failing until its callers resolve another region, with these settings (modules/regional README, Failover); the client retry policy outlasts it with the defaults."
  value       = max([for instance in module.regional : instance.failover_detection_seconds]...)
}

output "releases" {
  description = "Per region, what make release reads: the release id served, the CodeDeploy application, the alarms that stop a deployment, and per operation_id the function, alias, latest published version and deployment group."
  value       = { for region, regional in module.regional : region => regional.release }
}
