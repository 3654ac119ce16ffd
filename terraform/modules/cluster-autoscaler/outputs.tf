output "policy_arn" {
  description = "ARN of the Autoscaler's IAM policy: attach it to the role (the irsa-role module's policy_arns)."
  value       = aws_iam_policy.cluster_autoscaler.arn
}

output "policy_name" {
  description = "The policy's name, or its prefix with use_name_prefix (the name IAM gives it is in policy_arn)."
  value       = local.policy_name
}

output "policy_name_prefix" {
  description = "The policy's name prefix when use_name_prefix is set, else null."
  value       = aws_iam_policy.cluster_autoscaler.name_prefix
}

output "policy_json" {
  description = "The Autoscaler's IAM policy document."
  value       = data.aws_iam_policy_document.cluster_autoscaler.json
}

output "helm_release_name" {
  description = "Name of the Helm release, or null when enable_cluster_autoscaler is false."
  value       = var.enable_cluster_autoscaler ? helm_release.cluster_autoscaler[0].name : null
}

output "helm_values" {
  description = "The values given to the Helm release (the module's, then cluster_autoscaler_helm_values), or null without a release."
  value       = var.enable_cluster_autoscaler ? helm_release.cluster_autoscaler[0].values : null
}

output "helm_repository" {
  description = "The chart repository of the Helm release, or null without a release."
  value       = var.enable_cluster_autoscaler ? helm_release.cluster_autoscaler[0].repository : null
}

output "pod_identity_association_id" {
  description = "ID of the EKS Pod Identity association, or null when cluster_autoscaler_identity is \"irsa\"."
  value       = one(aws_eks_pod_identity_association.cluster_autoscaler[*].association_id)
}

output "image" {
  description = "The image values given to the chart (tag from kubernetes_version or cluster_autoscaler_image_tag, repository), empty for the chart's own."
  value       = local.image
}

output "service_accounts" {
  description = "The service account the role must trust, as the irsa-role module's service_accounts takes it."
  value       = [{ namespace = var.cluster_autoscaler_namespace, name = var.cluster_autoscaler_service_account }]
}

output "policy_description" {
  description = "The policy's description."
  value       = aws_iam_policy.cluster_autoscaler.description
}

output "helm_settings" {
  description = "Helm's wait, atomic and timeout for the release, or null without a release."
  value       = var.enable_cluster_autoscaler ? { wait = helm_release.cluster_autoscaler[0].wait, atomic = helm_release.cluster_autoscaler[0].atomic, timeout = helm_release.cluster_autoscaler[0].timeout } : null
}

output "image_tag_known" {
  description = "false when kubernetes_version names a minor version the module's table lacks and no cluster_autoscaler_image_tag is set: the chart's own image is used."
  value       = var.kubernetes_version == null || local.image_tag != null
}
