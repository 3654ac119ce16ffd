variable "name" {
  description = "Name of the IAM role."
  type        = string

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.name))
    error_message = "name must be 1 to 64 characters of letters, digits and +=,.@_- (IAM's rule for role names)."
  }
}

variable "path" {
  description = "IAM path of the role."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7e]*/)?$", var.path)) && length(var.path) <= 512
    error_message = "path must start and end with / (IAM's rule), e.g. / or /eks/."
  }
}

variable "description" {
  description = "Description of the IAM role."
  type        = string
  default     = "Assumed by Kubernetes service accounts through IRSA"
}

variable "permissions_boundary" {
  description = "ARN of a managed policy to use as the role's permissions boundary, or null."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary == null || can(regex("^arn:aws[a-z-]*:iam::(aws|\\d{12}):policy/.+$", coalesce(var.permissions_boundary, "-")))
    error_message = "permissions_boundary must be null or an IAM policy ARN."
  }
}

variable "max_session_duration" {
  description = "Longest session, in seconds, that the role's credentials last."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be from 3600 to 43200 seconds."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (the oidc-provider module's arn output)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN: arn:aws:iam::<account>:oidc-provider/<host/path>."
  }
}

variable "issuer_url" {
  description = "The cluster's OIDC issuer URL, with or without https://."
  type        = string

  validation {
    condition     = can(regex("^(https://)?[^/?#@\\s:]+(:\\d+)?(/[^?#\\s]*)?$", var.issuer_url))
    error_message = "issuer_url must be an issuer such as https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE."
  }
}

variable "service_accounts" {
  description = "Kubernetes service accounts that may assume the role: one trust policy statement each."
  type = list(object({
    namespace = string
    name      = string
  }))

  validation {
    condition     = length(var.service_accounts) > 0
    error_message = "service_accounts must name at least one service account."
  }

  validation {
    # Namespaces are DNS-1123 labels (Kubernetes' validation for namespace names).
    condition     = alltrue([for sa in var.service_accounts : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", sa.namespace))])
    error_message = "Each namespace must be a DNS-1123 label: 1 to 63 lowercase letters, digits or -, starting and ending with a letter or digit."
  }

  validation {
    # Service account names are DNS-1123 subdomains.
    condition = alltrue([for sa in var.service_accounts :
      length(sa.name) <= 253 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", sa.name))
    ])
    error_message = "Each service account name must be a DNS-1123 subdomain: lowercase letters, digits, - and ., at most 253 characters."
  }
}

variable "policy_arns" {
  description = "Managed policies to attach, by a name of your choosing (map keys must be known at plan time)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.policy_arns) : can(regex("^arn:aws[a-z-]*:iam::(aws|\\d{12}):policy/.+$", arn))])
    error_message = "policy_arns values must be IAM policy ARNs."
  }
}

variable "tags" {
  description = "Tags for the IAM role."
  type        = map(string)
  default     = {}
}
