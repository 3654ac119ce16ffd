variable "issuer_url" {
  description = "The cluster's OIDC issuer URL."
  type        = string
}

variable "thumbprints" {
  description = "The pinned thumbprints the live top must be among."
  type        = list(string)
}

variable "oidc_thumbprint_program" {
  description = "Command that runs oidc-thumbprint, as data \"external\" expects it."
  type        = list(string)
  default     = ["oidc-thumbprint"]
}

variable "thumbprint_discovery" {
  description = "Follow OIDC discovery to the JWKS host, as IAM does."
  type        = bool
  default     = true
}

variable "thumbprint_timeout" {
  description = "Seconds oidc-thumbprint may take in all."
  type        = number
  default     = 10

  validation {
    condition     = var.thumbprint_timeout >= 0.1 && var.thumbprint_timeout <= 600
    error_message = "thumbprint_timeout must be from 0.1 to 600 seconds (oidc-thumbprint's range)."
  }
}

variable "ca_file" {
  description = "PEM bundle of trust anchors that replaces the built-in roots (private issuers)."
  type        = string
  default     = null
}

variable "thumbprint_expiry_warning_days" {
  description = "Warn when the live top certificate expires within this many days."
  type        = number
  default     = 30

  validation {
    condition     = var.thumbprint_expiry_warning_days >= 0 && var.thumbprint_expiry_warning_days == floor(var.thumbprint_expiry_warning_days)
    error_message = "thumbprint_expiry_warning_days must be a whole number of days, 0 or more."
  }
}
