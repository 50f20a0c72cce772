output "api_id" {
  description = "ID of the REST API in this region."
  value       = aws_api_gateway_rest_api.this.id
}

output "api_execution_arn" {
  description = "Execution ARN of the REST API (prefix of the functions' permission source ARNs)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "stage_arn" {
  description = "ARN of the stage (WAF associations, IAM conditions)."
  value       = aws_api_gateway_stage.this.arn
}

output "stage_invoke_url" {
  description = "Invoke URL of the stage in this region (https://<api id>.execute-api.<region>.amazonaws.com/<stage>)."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "function_arns" {
  description = "ARN of each function, keyed by operation_id."
  value       = { for operation_id, function in aws_lambda_function.this : operation_id => function.arn }
}

output "function_names" {
  description = "Name of each function, keyed by operation_id."
  value       = { for operation_id, function in aws_lambda_function.this : operation_id => function.function_name }
}

output "domain_target" {
  description = "Hostname the custom domain's alias record points to in this region; null without a domain."
  value       = try(local.edge ? aws_api_gateway_domain_name.this[0].cloudfront_domain_name : aws_api_gateway_domain_name.this[0].regional_domain_name, null)
}

output "health_check_id" {
  description = "ID of the Route 53 health check of this region; null without a domain."
  value       = try(aws_route53_health_check.this[0].id, null)
}

output "alarm_topic_arn" {
  description = "ARN of the alarm SNS topic; null unless alarms.create_topic."
  value       = try(aws_sns_topic.this[0].arn, null)
}

output "alarm_arns" {
  description = "ARNs of the region's alarms: server_error_rate, latency_p99 and throttles (a map keyed by operation_id)."
  value = {
    server_error_rate = aws_cloudwatch_metric_alarm.server_error_rate.arn
    latency_p99       = aws_cloudwatch_metric_alarm.latency_p99.arn
    throttles         = { for operation_id, alarm in aws_cloudwatch_metric_alarm.throttles : operation_id => alarm.arn }
  }
}

output "stage_name" {
  description = "Name of the stage (its ARN is stage_arn)."
  value       = aws_api_gateway_stage.this.stage_name
}

output "web_acl_arn" {
  description = "ARN of the web ACL associated with the stage: the kit's (waf.create) or the given web_acl_arn; null for none."
  value       = local.web_acl_arn
}

output "release" {
  description = "What make release reads: the release id this region serves, the CodeDeploy application, and per operation_id the function, its alias, its latest published version and its deployment group."
  value = {
    id          = var.release_settings.id
    application = aws_codedeploy_app.this.name
    alarms      = [aws_cloudwatch_metric_alarm.server_error_rate.alarm_name, aws_cloudwatch_metric_alarm.latency_p99.alarm_name]
    functions = {
      for operation_id, function in aws_lambda_function.this : operation_id => {
        function_name    = function.function_name
        alias            = aws_lambda_alias.this[operation_id].name
        version          = function.version
        deployment_group = aws_codedeploy_deployment_group.this[operation_id].deployment_group_name
      }
    }
  }
}

output "failover_detection_seconds" {
  description = "Worst-case seconds from this region failing until its callers resolve another region (README, Failover): a canary run every 60 s that may take its whole timeout, health_check.failing_minutes failing minutes, one more minute for CloudWatch to evaluate the last one, the alias record's 60 s in resolvers."
  # The client retry policy must outlast it (contract/retry.py RETRY.budget_s; tests/terraform/test_tf_failover.py).
  value = 60 + var.health_check.canary_timeout_seconds + 60 * var.health_check.failing_minutes + 60 + 60
}
