output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider (created, given or found), or null when nothing here uses one (Pod Identity); use it as the Federated principal of further IRSA roles."
  value       = local.oidc_provider_arn

  precondition {
    condition     = !(var.create_oidc_provider == true && var.oidc_provider_arn != null)
    error_message = "oidc_provider_arn names an existing provider, so set create_oidc_provider = false; with true the module creates one and the ARN would be ignored."
  }
  precondition {
    condition     = local.issuer_url != null || !(local.create_oidc_provider || local.find_oidc_provider)
    error_message = "issuer_url is needed to ${local.create_oidc_provider ? "create" : "find"} the IAM OIDC provider (aws_eks_cluster.this.identity[0].oidc[0].issuer). With cluster_autoscaler_identity = \"pod_identity\" no provider is needed."
  }
}

output "issuer_url" {
  description = "The issuer URL as the module normalised it (lowercase scheme and host, no trailing slash): the provider's URL."
  value       = local.issuer_url
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
  description = "ARN of the Cluster Autoscaler's role, or null."
  value       = one(module.cluster_autoscaler_role[*].arn)

  precondition {
    # Without its role the release would install nothing that works, silently.
    condition     = var.create_cluster_autoscaler_role || !var.enable_cluster_autoscaler
    error_message = "enable_cluster_autoscaler = true needs create_cluster_autoscaler_role = true: the release runs with the role this module makes. Set enable_cluster_autoscaler = false when the Autoscaler is installed another way."
  }
}

output "cluster_autoscaler_role_name" {
  description = "Name of the Cluster Autoscaler's role, or null."
  value       = one(module.cluster_autoscaler_role[*].name)
}

output "cluster_autoscaler_policy_arn" {
  description = "ARN of the Cluster Autoscaler's IAM policy, or null."
  value       = one(module.cluster_autoscaler[*].policy_arn)
}

output "cluster_autoscaler_trust_policy" {
  description = "The Cluster Autoscaler role's trust policy document, or null."
  value       = one(module.cluster_autoscaler_role[*].trust_policy)

  precondition {
    # Under StringEquals a * would name a service account literally "*".
    condition     = var.trust_condition_test == "StringLike" || !can(regex("[*?]", "${var.cluster_autoscaler_namespace}:${var.cluster_autoscaler_service_account}"))
    error_message = "cluster_autoscaler_namespace or cluster_autoscaler_service_account holds * or ?, which matches only with trust_condition_test = \"StringLike\"; under StringEquals it would name a service account literally."
  }
}
