variable "issuer_url" {
  description = "OIDC issuer URL of the cluster, e.g. aws_eks_cluster.this.identity[0].oidc[0].issuer (https://oidc.eks.<region>.amazonaws.com/id/<ID>)."
  type        = string

  # The root module normalises the URL once (lowercase scheme and host, no
  # trailing slash) and passes that; here it must already be so, since the
  # provider's ARN and every condition key are made from it.
  validation {
    condition     = can(regex("^https://[^/?#@\\sA-Z]+(/[^?#\\s]*[^/?#\\s])?$", var.issuer_url))
    error_message = "issuer_url must be an https:// URL in the form IAM keys it by: lowercase host, no trailing slash, no user info, query or fragment, e.g. https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE (the root module normalises it for you)."
  }
}

variable "oidc_thumbprint_program" {
  description = "Command that runs oidc-thumbprint, as data \"external\" expects it. The default finds it on PATH."
  type        = list(string)
  default     = ["oidc-thumbprint"]

  validation {
    condition     = length(var.oidc_thumbprint_program) > 0 && alltrue([for part in var.oidc_thumbprint_program : length(part) > 0])
    error_message = "oidc_thumbprint_program must name a command: a non-empty list of non-empty strings."
  }
}

variable "thumbprint_mode" {
  description = "Where the provider's thumbprints come from: \"fetch\" runs oidc-thumbprint on each plan; \"pinned\" lists thumbprints as given (no program needed to plan or apply; a check warns when the live certificate changes); \"iam\" leaves thumbprint_list out for IAM to manage (aws provider >= 5.81)."
  type        = string
  default     = "fetch"

  validation {
    condition     = contains(["fetch", "pinned", "iam"], var.thumbprint_mode)
    error_message = "thumbprint_mode must be \"fetch\", \"pinned\" or \"iam\"."
  }
}

variable "thumbprints" {
  description = "The thumbprints to list in \"pinned\" mode (given with the default \"fetch\", they pin too: air-gapped runs). null runs the program."
  type        = list(string)
  default     = null

  validation {
    condition     = var.thumbprints == null || (length(coalesce(var.thumbprints, [])) > 0 && alltrue([for t in coalesce(var.thumbprints, []) : can(regex("^[0-9a-f]{40}$", t))]))
    error_message = "thumbprints must be null or a non-empty list of SHA-1 thumbprints: 40 lowercase hex digits, no colons."
  }
}

variable "additional_thumbprints" {
  description = "Thumbprints listed after the fetched ones, e.g. for a planned certificate rotation."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.additional_thumbprints : can(regex("^[0-9a-f]{40}$", t))])
    error_message = "additional_thumbprints must be SHA-1 thumbprints: 40 lowercase hex digits, no colons."
  }
}

variable "thumbprint_discovery" {
  description = "Follow OIDC discovery to the host serving the JWKS, as IAM does. false thumbprints the issuer host itself."
  type        = bool
  default     = true
}

variable "thumbprint_timeout" {
  description = "Seconds oidc-thumbprint may take in all (DNS, proxy, handshake, discovery)."
  type        = number
  default     = 10

  validation {
    condition     = var.thumbprint_timeout >= 0.1 && var.thumbprint_timeout <= 600
    error_message = "thumbprint_timeout must be from 0.1 to 600 seconds (oidc-thumbprint's range)."
  }
}

variable "ca_file" {
  description = "PEM bundle of trust anchors that replaces the built-in Mozilla roots, for private issuers. Leave null for EKS: a TLS-intercepting proxy must not be trusted for IAM thumbprints."
  type        = string
  default     = null
}

variable "client_id_list" {
  description = "Audiences of the provider. IRSA needs sts.amazonaws.com (the widely copied [\"\"] does not work)."
  type        = list(string)
  default     = ["sts.amazonaws.com"]

  validation {
    condition     = length(var.client_id_list) > 0 && alltrue([for id in var.client_id_list : length(id) > 0 && length(id) <= 255])
    error_message = "client_id_list must hold 1 or more non-empty client IDs of at most 255 characters."
  }
}

variable "tags" {
  description = "Tags for the IAM OIDC provider."
  type        = map(string)
  default     = {}
}
