output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider; use it as the Federated principal of further IRSA roles."
  value       = module.oidc_provider.arn
}

output "issuer_host_path" {
  description = "Issuer host and path without https://, the prefix of IRSA condition keys."
  value       = module.oidc_provider.issuer_host_path
}

output "thumbprint" {
  description = "The thumbprint oidc-thumbprint fetched."
  value       = module.oidc_provider.thumbprint
}

output "thumbprint_list" {
  description = "Every thumbprint listed on the provider."
  value       = module.oidc_provider.thumbprint_list
}

output "cluster_autoscaler_role_arn" {
  description = "ARN of the Cluster Autoscaler's IRSA role, or null."
  value       = var.create_cluster_autoscaler_role ? module.cluster_autoscaler[0].role_arn : null
}

output "cluster_autoscaler_policy_arn" {
  description = "ARN of the Cluster Autoscaler's IAM policy, or null."
  value       = var.create_cluster_autoscaler_role ? module.cluster_autoscaler[0].policy_arn : null
}
