variable "regions" {
  description = "The one region to deploy to."
  type        = list(string)
  default     = ["us-east-1"]
}

variable "name" {
  description = "Name of the deployment."
  type        = string
  default     = "api-single"
}
