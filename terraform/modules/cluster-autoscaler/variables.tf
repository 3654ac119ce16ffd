variable "cluster_name" {
  description = "Name of the EKS cluster: the Autoscaler's auto-discovery name and the k8s.io/cluster-autoscaler/<name> tag."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name: 1 to 100 letters, digits, - or _, starting with a letter or digit."
  }
}

variable "region" {
  description = "AWS region of the cluster (the chart's awsRegion)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2,}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS region code such as us-east-1."
  }
}

variable "role_arn" {
  description = "ARN of the Autoscaler's role (the irsa-role module's arn output, which waits for its policy attachments): the service account's annotation with IRSA, the association's role with Pod Identity. Needed for the release and the association."
  type        = string
  default     = null
}

variable "wait_for" {
  description = "Anything the policy must be created after; the root module passes its IAM OIDC provider's ARN, so a conflict on the provider fails before anything here is created."
  type        = any
  default     = null
}

variable "cluster_autoscaler_identity" {
  description = "How the Autoscaler's pod gets its role: \"irsa\" (the service account annotation and the OIDC provider), \"pod_identity\" (EKS Pod Identity: an association, no annotation, no OIDC provider) or \"both\" (to migrate with no downtime)."
  type        = string
  default     = "irsa"

  validation {
    condition     = contains(["irsa", "pod_identity", "both"], var.cluster_autoscaler_identity)
    error_message = "cluster_autoscaler_identity must be \"irsa\", \"pod_identity\" or \"both\"."
  }
}

variable "kubernetes_version" {
  description = "The cluster's Kubernetes version (data.aws_eks_cluster.this.version): picks the Autoscaler release of that minor version. null, or a version the module does not know (a warning), keeps the chart's."
  type        = string
  default     = null

  validation {
    condition     = var.kubernetes_version == null || can(regex("^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?$", var.kubernetes_version))
    error_message = "kubernetes_version must be a version such as 1.33 (or 1.33.2)."
  }
}

variable "cluster_autoscaler_image_tag" {
  description = "The Autoscaler image tag, overriding the one kubernetes_version picks (for versions the module's table lacks)."
  type        = string
  default     = null
}

variable "cluster_autoscaler_image_repository" {
  description = "The Autoscaler image repository, for registries in China or air-gapped networks; null keeps the chart's (registry.k8s.io/autoscaling/cluster-autoscaler)."
  type        = string
  default     = null
}

variable "cluster_autoscaler_scaling_tag_condition" {
  description = "Without autoscaling_group_arns, which node groups may be scaled: \"owned\" (the scaling tag = owned, as EKS sets it) or \"any\" (the tag with any value, all auto-discovery reads)."
  type        = string
  default     = "owned"

  validation {
    condition     = contains(["owned", "any"], var.cluster_autoscaler_scaling_tag_condition)
    error_message = "cluster_autoscaler_scaling_tag_condition must be \"owned\" or \"any\"."
  }
}

variable "cluster_autoscaler_scaling_tag_key" {
  description = "The Auto Scaling group tag the scaling condition reads (aws:ResourceTag/<key>); null: k8s.io/cluster-autoscaler/<cluster_name>. terraform-aws-iam's module used kubernetes.io/cluster/<cluster_name>: keep it while node groups carry only that tag (docs/MIGRATION.md)."
  type        = string
  default     = null

  validation {
    condition     = var.cluster_autoscaler_scaling_tag_key == null || can(regex("^[^*?\\s]{1,128}$", coalesce(var.cluster_autoscaler_scaling_tag_key, "-")))
    error_message = "cluster_autoscaler_scaling_tag_key must be a tag key: 1 to 128 characters, no spaces, * or ?."
  }
}

variable "use_name_prefix" {
  description = "Name the policy with a unique suffix after its name (IAM names are account-wide: two clusters of one name in two regions would collide)."
  type        = bool
  default     = true
}

variable "iam_path" {
  description = "IAM path of the policy."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7e]*/)?$", var.iam_path)) && length(var.iam_path) <= 512
    error_message = "iam_path must start and end with / (IAM's rule), e.g. / or /eks/."
  }
}

variable "cluster_autoscaler_namespace" {
  description = "Namespace of the Helm release and its service account."
  type        = string
  default     = "kube-system"

  validation {
    condition     = can(regex("^[a-z0-9*?]([-a-z0-9*?]{0,61}[a-z0-9*?])?$", var.cluster_autoscaler_namespace))
    error_message = "cluster_autoscaler_namespace must be a DNS-1123 label: 1 to 63 lowercase letters, digits or -, starting and ending with a letter or digit (* and ? only as StringLike wildcards)."
  }
}

variable "cluster_autoscaler_service_account" {
  description = "Name of the Autoscaler's service account, which the chart creates. With trust_condition_test = \"StringLike\" it may be a pattern with * and ? (then install the chart yourself: enable_cluster_autoscaler = false)."
  type        = string
  default     = "cluster-autoscaler"

  validation {
    condition     = length(var.cluster_autoscaler_service_account) <= 253 && can(regex("^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?(\\.[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?)*$", var.cluster_autoscaler_service_account))
    error_message = "cluster_autoscaler_service_account must be a DNS-1123 subdomain: lowercase letters, digits, - and ., at most 253 characters (* and ? only as StringLike wildcards)."
  }
}

variable "cluster_autoscaler_policy_name" {
  description = "Name (or, with use_name_prefix, prefix) of the IAM policy; null: <cluster_name>-cluster-autoscaler, cut and hashed to fit IAM's limit."
  type        = string
  default     = null

  validation {
    condition     = var.cluster_autoscaler_policy_name == null || can(regex("^[\\w+=,.@-]+$", coalesce(var.cluster_autoscaler_policy_name, "-")))
    error_message = "cluster_autoscaler_policy_name must be letters, digits and +=,.@_- (IAM's rule for policy names)."
  }
}

variable "cluster_autoscaler_policy_description" {
  description = "Description of the IAM policy; null: \"Cluster Autoscaler for EKS cluster <cluster_name>\". IAM cannot change a policy's description in place: changing it replaces the policy."
  type        = string
  default     = null
}

variable "autoscaling_group_arns" {
  description = "ARNs of the node groups' Auto Scaling groups the Autoscaler may scale. Empty limits scaling by the scaling tag instead."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.autoscaling_group_arns : can(regex("^arn:aws[a-z-]*:autoscaling:[a-z0-9-]+:\\d{12}:autoScalingGroup:.+$", arn))])
    error_message = "autoscaling_group_arns must be Auto Scaling group ARNs (arn:aws:autoscaling:<region>:<account>:autoScalingGroup:...)."
  }
}

variable "enable_cluster_autoscaler" {
  description = "Install the cluster-autoscaler Helm chart. false creates only the IAM policy (and the Pod Identity association)."
  type        = bool
  default     = true
}

variable "cluster_autoscaler_release_name" {
  description = "Name of the Helm release."
  type        = string
  default     = "cluster-autoscaler"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$", var.cluster_autoscaler_release_name))
    error_message = "cluster_autoscaler_release_name must be 1 to 53 lowercase letters, digits or -, starting and ending with a letter or digit (Helm's rule)."
  }
}

variable "cluster_autoscaler_chart_repository" {
  description = "Helm repository of the cluster-autoscaler chart (a mirror, for air-gapped networks)."
  type        = string
  default     = "https://kubernetes.github.io/autoscaler"
}

variable "cluster_autoscaler_chart_version" {
  description = "Version of the cluster-autoscaler chart; pinned so that plans do not drift with new chart releases."
  type        = string
  default     = "9.43.2"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+", var.cluster_autoscaler_chart_version))
    error_message = "cluster_autoscaler_chart_version must be a chart version such as 9.43.2."
  }
}

variable "cluster_autoscaler_helm_values" {
  description = "Further values for the chart, as YAML documents, merged after this module's values."
  type        = list(string)
  default     = []
}

variable "cluster_autoscaler_helm_wait" {
  description = "Wait until the release's resources are ready before marking it successful (Helm's wait)."
  type        = bool
  default     = true
}

variable "cluster_autoscaler_helm_atomic" {
  description = "Roll the release back if it fails (Helm's atomic)."
  type        = bool
  default     = false
}

variable "cluster_autoscaler_helm_timeout" {
  description = "Seconds Helm waits for the release's operations."
  type        = number
  default     = 300

  validation {
    condition     = var.cluster_autoscaler_helm_timeout > 0 && var.cluster_autoscaler_helm_timeout == floor(var.cluster_autoscaler_helm_timeout)
    error_message = "cluster_autoscaler_helm_timeout must be a whole number of seconds above 0."
  }
}

variable "tags" {
  description = "Tags for the IAM policy and the Pod Identity association."
  type        = map(string)
  default     = {}
}
