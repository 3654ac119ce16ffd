output "arn" {
  description = "ARN of the IAM OIDC provider: the Federated principal of IRSA trust policies."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "url" {
  description = "The issuer URL the provider was created for."
  value       = var.issuer_url
}

output "issuer_host_path" {
  description = "Issuer host and path without https://, the prefix of the :sub and :aud condition keys."
  value       = local.issuer_host_path
}

output "thumbprint" {
  description = "The thumbprint oidc-thumbprint fetched (or the first one given)."
  value       = local.thumbprint_list[0]
}

output "thumbprint_list" {
  description = "Every thumbprint listed on the provider."
  value       = local.thumbprint_list
}
