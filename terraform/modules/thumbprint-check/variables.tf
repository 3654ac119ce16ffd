variable "issuer_url" {
  description = "The cluster's OIDC issuer URL."
  type        = string
}

variable "thumbprints" {
  description = "The pinned thumbprints the live top must be among."
  type        = list(string)
}

variable "program" {
  description = "Command that runs oidc-thumbprint, as data \"external\" expects it."
  type        = list(string)
  default     = ["oidc-thumbprint"]
}

variable "discovery" {
  description = "Follow OIDC discovery to the JWKS host, as IAM does."
  type        = bool
  default     = true
}

variable "timeout" {
  description = "Seconds oidc-thumbprint may take in all."
  type        = number
  default     = 10
}

variable "ca_file" {
  description = "PEM bundle of trust anchors that replaces the built-in roots (private issuers)."
  type        = string
  default     = null
}

variable "expiry_warning_days" {
  description = "Warn when the live top certificate expires within this many days."
  type        = number
  default     = 30

  validation {
    condition     = var.expiry_warning_days >= 0 && var.expiry_warning_days == floor(var.expiry_warning_days)
    error_message = "expiry_warning_days must be a whole number of days, 0 or more."
  }
}
