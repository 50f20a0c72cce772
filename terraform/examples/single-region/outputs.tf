output "invoke_urls" {
  description = "Invoke URL of the stage, keyed by region."
  value       = module.api.invoke_urls
}

output "user_pool_client_id" {
  description = "ID of the mobile app client."
  value       = module.api.user_pool_client_id
}
