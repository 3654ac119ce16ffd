variable "cluster_name" {
  description = "Name of the EKS cluster whose OIDC provider the roles trust."
  type        = string
}

variable "region" {
  description = "AWS region of the cluster."
  type        = string
}

variable "hosted_zone_ids" {
  description = "Route 53 hosted zones external-dns may change."
  type        = list(string)

  validation {
    condition     = length(var.hosted_zone_ids) > 0 && alltrue([for z in var.hosted_zone_ids : can(regex("^Z[0-9A-Z]+$", z))])
    error_message = "hosted_zone_ids must list Route 53 hosted zone IDs such as Z0123456789ABCDEFGHIJ."
  }
}

variable "tags" {
  description = "Tags for the roles and the policy."
  type        = map(string)
  default     = {}
}
