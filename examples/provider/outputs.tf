output "thumbprints" {
  description = "What the IAM OIDC provider lists, as the provider read them."
  value       = data.oidcthumbprint_issuer.cluster.thumbprints
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider."
  value       = var.wiring == "module" ? module.eks_irsa[0].oidc_provider_arn : aws_iam_openid_connect_provider.this[0].arn
}
