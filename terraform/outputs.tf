output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider (created, given or found); use it as the Federated principal of further IRSA roles."
  value       = local.oidc_provider_arn

  precondition {
    condition     = !(var.create_oidc_provider && var.oidc_provider_arn != null)
    error_message = "oidc_provider_arn names an existing provider, so set create_oidc_provider = false; with true the module creates one and the ARN would be ignored."
  }
}

output "issuer_host_path" {
  description = "Issuer host and path without https://, the prefix of IRSA condition keys."
  value       = local.issuer_host_path
}

output "thumbprint" {
  description = "The thumbprint oidc-thumbprint fetched, or null when the provider is not created here."
  value       = one(module.oidc_provider[*].thumbprint)
}

output "thumbprint_list" {
  description = "Every thumbprint listed on the provider, or null when the provider is not created here."
  value       = one(module.oidc_provider[*].thumbprint_list)
}

output "cluster_autoscaler_role_arn" {
  description = "ARN of the Cluster Autoscaler's IRSA role, or null."
  value       = var.create_cluster_autoscaler_role ? module.cluster_autoscaler[0].role_arn : null

  precondition {
    # Without its role the release would install nothing that works, silently.
    condition     = var.create_cluster_autoscaler_role || !var.enable_cluster_autoscaler
    error_message = "enable_cluster_autoscaler = true needs create_cluster_autoscaler_role = true: the release runs with the role this module makes. Set enable_cluster_autoscaler = false when the Autoscaler is installed another way."
  }
}

output "cluster_autoscaler_policy_arn" {
  description = "ARN of the Cluster Autoscaler's IAM policy, or null."
  value       = var.create_cluster_autoscaler_role ? module.cluster_autoscaler[0].policy_arn : null
}
