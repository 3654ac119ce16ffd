# Inputs the root module passes on are validated once, by the submodule that
# uses them (same name there); the root validates only what it reads itself.

variable "cluster_name" {
  description = "Name of the EKS cluster (1 to 100 characters). Default IAM names are built from it and cut with a short hash to fit IAM's limits."
  type        = string
}

variable "issuer_url" {
  description = "The cluster's OIDC issuer URL: aws_eks_cluster.this.identity[0].oidc[0].issuer. Normalised once (lowercase scheme and host, no trailing slash) for the provider, its ARN, condition keys and lookups. Not needed with cluster_autoscaler_identity = \"pod_identity\"."
  type        = string
  default     = null

  validation {
    condition     = var.issuer_url == null || can(regex("^(?i:https)://[^/?#@\\s]+(/[^?#\\s]*)?$", coalesce(var.issuer_url, "-")))
    error_message = "issuer_url must be an https:// URL with no user info, query or fragment, e.g. https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE."
  }
}

variable "create_oidc_provider" {
  description = "Create the IAM OIDC provider for issuer_url. null (the default): when the Autoscaler's role uses IRSA (not with cluster_autoscaler_identity = \"pod_identity\"). Set false on a cluster that has one already (made by eksctl, the console or terraform-aws-eks): give oidc_provider_arn, or leave it null to look the provider up by issuer_url. Nothing provider-related is then created or destroyed."
  type        = bool
  default     = null
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's existing IAM OIDC provider, with create_oidc_provider = false; null looks it up by issuer_url."
  type        = string
  default     = null

  validation {
    condition     = var.oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/[^/].*$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN: arn:<partition>:iam::<account>:oidc-provider/<host/path>."
  }
}

variable "region" {
  description = "AWS region of the cluster (the chart's awsRegion)."
  type        = string
}

variable "oidc_thumbprint_program" {
  description = "Command that runs oidc-thumbprint; the default finds it on PATH."
  type        = list(string)
  default     = ["oidc-thumbprint"]
}

variable "thumbprint_mode" {
  description = "Where the provider's thumbprints come from: \"fetch\" runs oidc-thumbprint on each plan; \"pinned\" lists thumbprints as given (the program is not needed to plan or apply; a check warns when the live certificate changes or expires soon); \"iam\" leaves thumbprint_list out for IAM to manage. See the README: When does IAM use the thumbprint?"
  type        = string
  default     = "fetch"
}

variable "check_pinned_thumbprints" {
  description = "In \"pinned\" mode, run oidc-thumbprint on each plan and warn (never fail) when the live top certificate is not pinned or expires soon."
  type        = bool
  default     = true
}

variable "thumbprint_expiry_warning_days" {
  description = "With the pinned check: warn when the live top certificate expires within this many days."
  type        = number
  default     = 30
}

variable "thumbprints" {
  description = "Thumbprints to list instead of running oidc-thumbprint (air-gapped runs, or data.oidcthumbprint_issuer.x.thumbprints from the native provider); null runs it. 40 hex digits, or openssl's form (upper case, colons): stored as 40 lowercase hex."
  type        = list(string)
  default     = null

  validation {
    condition     = var.thumbprints == null || (length(coalesce(var.thumbprints, [])) > 0 && alltrue([for t in coalesce(var.thumbprints, []) : can(regex("^(?i:[0-9a-f]{40}|([0-9a-f]{2}:){19}[0-9a-f]{2})$", t))]))
    error_message = "thumbprints must be null or a non-empty list of SHA-1 thumbprints: 40 hex digits, or openssl's AA:BB:... form."
  }
}

variable "additional_thumbprints" {
  description = "Thumbprints listed after the fetched ones, e.g. for a planned certificate rotation; 40 hex digits or openssl's form."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.additional_thumbprints : can(regex("^(?i:[0-9a-f]{40}|([0-9a-f]{2}:){19}[0-9a-f]{2})$", t))])
    error_message = "additional_thumbprints must be SHA-1 thumbprints: 40 hex digits, or openssl's AA:BB:... form."
  }
}

variable "thumbprint_timeout" {
  description = "Seconds oidc-thumbprint may take in all (0.1 to 600)."
  type        = number
  default     = 10
}

variable "thumbprint_discovery" {
  description = "Follow OIDC discovery to the host serving the JWKS, as IAM does; false thumbprints the issuer host itself."
  type        = bool
  default     = true
}

variable "client_id_list" {
  description = "Audiences of the IAM OIDC provider, which the IRSA roles accept. IRSA needs sts.amazonaws.com."
  type        = list(string)
  default     = ["sts.amazonaws.com"]
}

variable "ca_file" {
  description = "PEM trust anchors replacing the Mozilla roots, for private issuers only; leave null for EKS."
  type        = string
  default     = null
}

variable "create_cluster_autoscaler_role" {
  description = "Create the Cluster Autoscaler's IAM policy and IRSA role."
  type        = bool
  default     = true
}

variable "enable_cluster_autoscaler" {
  description = "Install the cluster-autoscaler Helm release (needs create_cluster_autoscaler_role; a plan with this true and that false fails)."
  type        = bool
  default     = true
}

variable "cluster_autoscaler_namespace" {
  description = "Namespace of the cluster-autoscaler release and service account."
  type        = string
  default     = "kube-system"
}

variable "cluster_autoscaler_service_account" {
  description = "Name of the cluster-autoscaler service account."
  type        = string
  default     = "cluster-autoscaler"
}

variable "cluster_autoscaler_chart_version" {
  description = "Version of the cluster-autoscaler chart."
  type        = string
  default     = "9.43.2"
}

variable "autoscaling_group_arns" {
  description = "Auto Scaling group ARNs the Autoscaler may scale; empty scopes by the cluster's owned tag."
  type        = list(string)
  default     = []
}

variable "cluster_autoscaler_identity" {
  description = "How the Autoscaler's pod gets its role: \"irsa\", \"pod_identity\" (EKS Pod Identity association, no annotation) or \"both\" (to migrate with no downtime)."
  type        = string
  default     = "irsa"
}

variable "trust_condition_test" {
  description = "How the Autoscaler role's trust policy matches service account subjects: StringEquals (exact), or StringLike, where * and ? in cluster_autoscaler_namespace or cluster_autoscaler_service_account are wildcards."
  type        = string
  default     = "StringEquals"
}

variable "cluster_autoscaler_additional_oidc_providers" {
  description = "Further OIDC providers the Autoscaler's role trusts (a blue/green cluster move): each an arn, with optional service_accounts and audiences."
  type = list(object({
    arn              = string
    service_accounts = optional(list(object({ namespace = string, name = string })))
    audiences        = optional(list(string))
  }))
  default = []
}

variable "kubernetes_version" {
  description = "The cluster's Kubernetes version (data.aws_eks_cluster.this.version): picks the Autoscaler release of that minor version. null keeps the chart's, and so does a version the module does not know, with a warning."
  type        = string
  default     = null
}

variable "cluster_autoscaler_image_tag" {
  description = "The Autoscaler image tag, overriding the one kubernetes_version picks (needed for a version the module's table lacks)."
  type        = string
  default     = null
}

variable "cluster_autoscaler_image_repository" {
  description = "The Autoscaler image repository, for registries in China or air-gapped networks; null keeps the chart's."
  type        = string
  default     = null
}

variable "cluster_autoscaler_chart_repository" {
  description = "Helm repository of the cluster-autoscaler chart (a mirror, for air-gapped networks)."
  type        = string
  default     = "https://kubernetes.github.io/autoscaler"
}

variable "cluster_autoscaler_release_name" {
  description = "Name of the cluster-autoscaler Helm release."
  type        = string
  default     = "cluster-autoscaler"
}

variable "cluster_autoscaler_helm_values" {
  description = "Further values for the cluster-autoscaler chart, as YAML documents, merged after the module's."
  type        = list(string)
  default     = []
}

variable "cluster_autoscaler_scaling_tag_condition" {
  description = "Without autoscaling_group_arns: \"owned\" scales node groups tagged k8s.io/cluster-autoscaler/<cluster> = owned; \"any\" those with the tag at any value."
  type        = string
  default     = "owned"

}

variable "cluster_autoscaler_scaling_tag_key" {
  description = "The Auto Scaling group tag the scaling condition reads; null: k8s.io/cluster-autoscaler/<cluster_name>. Coming from terraform-aws-iam: kubernetes.io/cluster/<cluster_name> keeps matching node groups tagged only that way (docs/MIGRATION.md)."
  type        = string
  default     = null
}

variable "cluster_autoscaler_role_name" {
  description = "Name (or, with use_name_prefix, prefix: at most 37 characters) of the Autoscaler's IAM role; null: <cluster_name>-cluster-autoscaler, cut and hashed to fit IAM's limit."
  type        = string
  default     = null
}

variable "cluster_autoscaler_role_description" {
  description = "Description of the Autoscaler's IAM role; null keeps the irsa-role module's."
  type        = string
  default     = null
}

variable "cluster_autoscaler_role_max_session_duration" {
  description = "Longest session, in seconds (3600 to 43200), of the Autoscaler role's credentials; null: 3600."
  type        = number
  default     = null
}

variable "cluster_autoscaler_policy_name" {
  description = "Name (or, with use_name_prefix, prefix) of the Autoscaler's IAM policy; null: <cluster_name>-cluster-autoscaler, cut and hashed to fit IAM's limit."
  type        = string
  default     = null
}

variable "cluster_autoscaler_policy_description" {
  description = "Description of the Autoscaler's IAM policy; null: \"Cluster Autoscaler for EKS cluster <cluster_name>\". Changing it replaces the policy."
  type        = string
  default     = null
}

variable "cluster_autoscaler_helm_wait" {
  description = "Helm's wait for the cluster-autoscaler release."
  type        = bool
  default     = true
}

variable "cluster_autoscaler_helm_atomic" {
  description = "Helm's atomic for the cluster-autoscaler release: roll back on failure."
  type        = bool
  default     = false
}

variable "cluster_autoscaler_helm_timeout" {
  description = "Seconds Helm waits for the cluster-autoscaler release."
  type        = number
  default     = 300
}

variable "use_name_prefix" {
  description = "Give IAM role and policy names a unique suffix: IAM names are account-wide, so two clusters of one name in two regions would otherwise collide (terraform-aws-iam's default)."
  type        = bool
  default     = true
}

variable "iam_path" {
  description = "IAM path of the roles and policies."
  type        = string
  default     = "/"
}

variable "permissions_boundary" {
  description = "ARN of a policy to set as the permissions boundary of the roles."
  type        = string
  default     = null
}

variable "force_detach_policies" {
  description = "Detach policies attached outside this module before destroying the roles."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every IAM resource."
  type        = map(string)
  default     = {}
}
