output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider."
  value       = module.eks_irsa.oidc_provider_arn
}

output "thumbprint" {
  description = "The thumbprint listed on the provider."
  value       = module.eks_irsa.thumbprint
}

output "cluster_autoscaler_role_arn" {
  description = "ARN of the Cluster Autoscaler's role."
  value       = module.eks_irsa.cluster_autoscaler_role_arn
}
