# The openssl one-liner's replacement: one data source, verified TLS, the
# right certificate. Feed the result to aws_iam_openid_connect_provider.
data "external" "thumbprint" {
  program = ["oidc-thumbprint"]
  query = {
    url = var.issuer_url
  }
}

output "thumbprint" {
  description = "SHA-1 thumbprint of the top CA certificate the JWKS host presents."
  value       = data.external.thumbprint.result.thumbprint
}

output "thumbprint_list" {
  description = "The thumbprints an IAM OIDC provider should list (JWKS host first)."
  value       = split(",", data.external.thumbprint.result.thumbprints)
}
