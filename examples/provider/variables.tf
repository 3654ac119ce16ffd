variable "cluster_name" {
  description = "Name of an existing EKS cluster."
  type        = string
}

variable "region" {
  description = "AWS region of the cluster."
  type        = string
  default     = "us-east-1"
}

variable "wiring" {
  description = "Where the provider's thumbprints go: \"module\" (this project's module makes the IAM OIDC provider, the IRSA role and the Cluster Autoscaler) or \"resource\" (a bare aws_iam_openid_connect_provider)."
  type        = string
  default     = "module"

  validation {
    condition     = contains(["module", "resource"], var.wiring)
    error_message = "wiring must be \"module\" or \"resource\"."
  }
}

variable "tags" {
  description = "Tags for the IAM resources."
  type        = map(string)
  default     = {}
}
