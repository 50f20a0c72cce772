variable "regions" {
  description = "Regions to serve from; the first is the primary."
  type        = list(string)
  default     = ["us-east-1", "eu-west-1", "ap-southeast-2"]
}

variable "name" {
  description = "Name of the deployment."
  type        = string
  default     = "api-global"
}

variable "domain_name" {
  description = "Custom domain of the API, e.g. api.example.com."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone that holds domain_name."
  type        = string
}
