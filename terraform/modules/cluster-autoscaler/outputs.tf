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
