variable "cluster_name" {
  description = "Name of an existing EKS cluster."
  type        = string
}

variable "region" {
  description = "AWS region of the cluster."
  type        = string
  default     = "us-east-1"
}

variable "tags" {
  description = "Tags for the IAM resources."
  type        = map(string)
  default     = {}
}
