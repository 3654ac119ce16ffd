variable "name" {
  description = "Name of the IAM role (with use_name_prefix, its prefix: at most 37 characters)."
  type        = string

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.name))
    error_message = "name (cluster_autoscaler_role_name in the root module) must be 1 to 64 characters of letters, digits and +=,.@_- (IAM's rule for role names)."
  }
}

variable "iam_path" {
  description = "IAM path of the role."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7e]*/)?$", var.iam_path)) && length(var.iam_path) <= 512
    error_message = "iam_path must start and end with / (IAM's rule), e.g. / or /eks/."
  }
}

variable "description" {
  description = "Description of the IAM role."
  type        = string
  default     = "Assumed by Kubernetes service accounts through IRSA"
  # null (the root module's unset cluster_autoscaler_role_description) means the default.
  nullable = false
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
  nullable    = false

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be from 3600 to 43200 seconds."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (the oidc-provider module's arn output). The :sub and :aud condition keys are derived from it. null for a role that only Pod Identity assumes."
  type        = string
  default     = null

  validation {
    condition     = var.oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN: arn:aws:iam::<account>:oidc-provider/<host/path>."
  }
}

variable "audiences" {
  description = "Accepted token audiences (the :aud condition): the provider's client_id_list. IRSA's tokens carry sts.amazonaws.com."
  type        = list(string)
  default     = ["sts.amazonaws.com"]

  validation {
    condition     = length(var.audiences) > 0 && alltrue([for a in var.audiences : length(a) > 0])
    error_message = "audiences must list at least one non-empty audience."
  }
}

variable "additional_oidc_providers" {
  description = "Further providers the role trusts, e.g. the new cluster of a blue/green move: each with its own service accounts and audiences, or null for the role's."
  type = list(object({
    arn              = string
    service_accounts = optional(list(object({ namespace = string, name = string })))
    audiences        = optional(list(string))
  }))
  default = []

  validation {
    condition     = alltrue([for p in var.additional_oidc_providers : can(regex("^arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/.+$", p.arn))])
    error_message = "Each additional provider's arn must be an IAM OIDC provider ARN."
  }
}

variable "trust_pod_identity" {
  description = "Also let EKS Pod Identity (pods.eks.amazonaws.com) assume the role, with sts:AssumeRole and sts:TagSession."
  type        = bool
  default     = false
}

variable "use_name_prefix" {
  description = "Use name as a prefix with a unique suffix (IAM role names are account-wide), as terraform-aws-iam does."
  type        = bool
  default     = false
}

variable "force_detach_policies" {
  description = "Detach policies attached outside this module before destroying the role."
  type        = bool
  default     = false
}

variable "service_accounts" {
  description = "Kubernetes service accounts that may assume the role, all in one trust statement per provider. With trust_condition_test = \"StringLike\", a namespace or name may hold * and ? wildcards."
  type = list(object({
    namespace = string
    name      = string
  }))

  validation {
    condition     = length(var.service_accounts) > 0
    error_message = "service_accounts must name at least one service account."
  }

  validation {
    # Namespaces are DNS-1123 labels (Kubernetes' validation for namespace
    # names); * and ? stand for their characters in a StringLike pattern.
    condition     = alltrue([for sa in var.service_accounts : can(regex("^[a-z0-9*?]([-a-z0-9*?]{0,61}[a-z0-9*?])?$", sa.namespace))])
    error_message = "Each namespace must be a DNS-1123 label: 1 to 63 lowercase letters, digits or -, starting and ending with a letter or digit (* and ? allowed as StringLike wildcards)."
  }

  validation {
    # Service account names are DNS-1123 subdomains.
    condition = alltrue([for sa in var.service_accounts :
      length(sa.name) <= 253 && can(regex("^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?(\\.[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?)*$", sa.name))
    ])
    error_message = "Each service account name must be a DNS-1123 subdomain: lowercase letters, digits, - and ., at most 253 characters (* and ? allowed as StringLike wildcards)."
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

variable "trust_condition_test" {
  description = "How the trust policy matches the service accounts' subjects: StringEquals (exact names), or StringLike, where * and ? in a namespace or name are wildcards. The audience is always matched exactly."
  type        = string
  default     = "StringEquals"

  validation {
    condition     = contains(["StringEquals", "StringLike"], var.trust_condition_test)
    error_message = "trust_condition_test must be StringEquals or StringLike."
  }
}
