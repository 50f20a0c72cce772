output "api_url" {
  description = "The latency-routed custom domain URL."
  value       = module.api.api_url
}

output "invoke_urls" {
  description = "Invoke URL of each region's stage, keyed by region."
  value       = module.api.invoke_urls
}

output "health_check_ids" {
  description = "Route 53 health check of each region, keyed by region."
  value       = module.api.health_check_ids
}

output "alarm_topic_arns" {
  description = "Alarm SNS topic of each region, keyed by region: subscribe to them."
  value       = module.api.alarm_topic_arns
}
