# Test stand-in for terraform-aws-eks's IRSA provider (its
# aws_iam_openid_connect_provider.oidc_provider, enable_irsa = true): the
# same address, client ids and Name tag. Never for users.
variable "cluster_name" {
  description = "Name of the cluster."
  type        = string
}

variable "enable_irsa" {
  description = "Create the IAM OIDC provider, as upstream's enable_irsa."
  type        = bool
  default     = true
}

variable "issuer_url" {
  description = "The cluster's issuer URL (upstream reads it from the cluster)."
  type        = string
}

variable "thumbprints" {
  description = "What upstream's data \"tls_certificate\" gave."
  type        = list(string)
}

resource "aws_iam_openid_connect_provider" "oidc_provider" {
  count = var.enable_irsa ? 1 : 0

  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = var.thumbprints
  url             = var.issuer_url
  tags            = { Name = "${var.cluster_name}-eks-irsa" }
}

output "oidc_provider_arn" {
  description = "ARN of the provider."
  value       = one(aws_iam_openid_connect_provider.oidc_provider[*].arn)
}
