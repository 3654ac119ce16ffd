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
  description = "The thumbprint oidc-thumbprint fetched (or the first one given); null in \"iam\" mode."
  value       = try(local.thumbprint_list[0], null)
}

output "thumbprint_list" {
  description = "Every thumbprint listed on the provider; empty in \"iam\" mode."
  value       = local.thumbprint_list
}

output "client_id_list" {
  description = "The provider's client ids: the audiences IRSA roles accept."
  value       = aws_iam_openid_connect_provider.this.client_id_list
}

output "thumbprint_mode" {
  description = "The mode in effect: fetch, pinned (also when thumbprints are given with fetch) or iam."
  value       = local.mode
}
