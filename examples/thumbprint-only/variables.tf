variable "issuer_url" {
  description = "OIDC issuer URL, e.g. https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE."
  type        = string

  validation {
    condition     = startswith(var.issuer_url, "https://")
    error_message = "issuer_url must start with https://."
  }
}
