output "role_arn" {
  description = "ARN of the Autoscaler's IRSA role (the service account's eks.amazonaws.com/role-arn)."
  value       = module.irsa_role.arn
}

output "role_name" {
  description = "Name of the Autoscaler's IRSA role."
  value       = module.irsa_role.name
}

output "trust_policy" {
  description = "The Autoscaler role's trust policy document."
  value       = module.irsa_role.trust_policy
}

output "policy_arn" {
  description = "ARN of the Autoscaler's IAM policy."
  value       = aws_iam_policy.cluster_autoscaler.arn
}

output "policy_json" {
  description = "The Autoscaler's IAM policy document."
  value       = data.aws_iam_policy_document.cluster_autoscaler.json
}

output "helm_release_name" {
  description = "Name of the Helm release, or null when create_helm_release is false."
  value       = var.create_helm_release ? helm_release.cluster_autoscaler[0].name : null
}

output "role_name_prefix" {
  description = "The role's name prefix when use_name_prefix is set, else null."
  value       = var.use_name_prefix ? "${coalesce(var.role_name, local.name)}-" : null
}

output "policy_name_prefix" {
  description = "The policy's name prefix when use_name_prefix is set, else null."
  value       = aws_iam_policy.cluster_autoscaler.name_prefix
}

output "helm_values" {
  description = "The values given to the Helm release (the module's, then helm_values), or null without a release."
  value       = var.create_helm_release ? helm_release.cluster_autoscaler[0].values : null
}

output "helm_repository" {
  description = "The chart repository of the Helm release, or null without a release."
  value       = var.create_helm_release ? helm_release.cluster_autoscaler[0].repository : null
}

output "pod_identity_association_id" {
  description = "ID of the EKS Pod Identity association, or null when identity is \"irsa\"."
  value       = one(aws_eks_pod_identity_association.cluster_autoscaler[*].association_id)
}

output "image" {
  description = "The image values given to the chart (tag from kubernetes_version or image_tag, repository), empty for the chart's own."
  value       = local.image
}
