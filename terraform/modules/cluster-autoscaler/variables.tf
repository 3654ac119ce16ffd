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

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider; needed unless identity = \"pod_identity\"."
  type        = string
  default     = null
}

variable "audiences" {
  description = "Token audiences the role accepts: the provider's client_id_list."
  type        = list(string)
  default     = ["sts.amazonaws.com"]
}

variable "identity" {
  description = "How the Autoscaler's pod gets its role: \"irsa\" (the service account annotation and the OIDC provider), \"pod_identity\" (EKS Pod Identity: an association, no annotation) or \"both\" (both trusts and the annotation, to migrate with no downtime)."
  type        = string
  default     = "irsa"

  validation {
    condition     = contains(["irsa", "pod_identity", "both"], var.identity)
    error_message = "identity must be \"irsa\", \"pod_identity\" or \"both\"."
  }
}

variable "kubernetes_version" {
  description = "The cluster's Kubernetes version (data.aws_eks_cluster.this.version): picks the Autoscaler release of that minor version. null keeps the chart's."
  type        = string
  default     = null

  validation {
    condition     = var.kubernetes_version == null || can(regex("^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?$", var.kubernetes_version))
    error_message = "kubernetes_version must be a version such as 1.33 (or 1.33.2)."
  }
}

variable "image_tag" {
  description = "The Autoscaler image tag, overriding the one kubernetes_version picks (needed for versions the module's table lacks)."
  type        = string
  default     = null
}

variable "image_repository" {
  description = "The Autoscaler image repository, for registries in China or air-gapped networks; null keeps the chart's (registry.k8s.io/autoscaling/cluster-autoscaler)."
  type        = string
  default     = null
}

variable "scaling_tag_condition" {
  description = "Without autoscaling_group_arns, which node groups may be scaled: \"owned\" (tag k8s.io/cluster-autoscaler/<cluster> = owned, as EKS sets it) or \"any\" (that tag with any value, all auto-discovery reads)."
  type        = string
  default     = "owned"

  validation {
    condition     = contains(["owned", "any"], var.scaling_tag_condition)
    error_message = "scaling_tag_condition must be \"owned\" or \"any\"."
  }
}

variable "use_name_prefix" {
  description = "Name the role and policy with a unique suffix after role_name / policy_name (IAM names are account-wide: two clusters of one name in two regions would collide)."
  type        = bool
  default     = true
}

variable "path" {
  description = "IAM path of the role and the policy."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7e]{0,510}/)?$", var.path))
    error_message = "path must start and end with / (IAM's rule), e.g. /eks/."
  }
}

variable "permissions_boundary" {
  description = "ARN of a policy to set as the role's permissions boundary."
  type        = string
  default     = null
}

variable "force_detach_policies" {
  description = "Detach policies attached outside this module before destroying the role."
  type        = bool
  default     = false
}

variable "namespace" {
  description = "Namespace of the Helm release and its service account."
  type        = string
  default     = "kube-system"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label: 1 to 63 lowercase letters, digits or -, starting and ending with a letter or digit."
  }
}

variable "service_account" {
  description = "Name of the Autoscaler's service account, which the chart creates and annotates with the role ARN."
  type        = string
  default     = "cluster-autoscaler"

  validation {
    condition     = length(var.service_account) <= 253 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", var.service_account))
    error_message = "service_account must be a DNS-1123 subdomain: lowercase letters, digits, - and ., at most 253 characters."
  }
}

variable "role_name" {
  description = "Name of the IAM role; null names it <cluster_name>-cluster-autoscaler."
  type        = string
  default     = null
}

variable "policy_name" {
  description = "Name of the IAM policy; null names it <cluster_name>-cluster-autoscaler."
  type        = string
  default     = null
}

variable "autoscaling_group_arns" {
  description = "ARNs of the node groups' Auto Scaling groups the Autoscaler may scale. Empty limits scaling by the k8s.io/cluster-autoscaler/<cluster_name> = owned tag instead."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.autoscaling_group_arns : can(regex("^arn:aws[a-z-]*:autoscaling:[a-z0-9-]+:\\d{12}:autoScalingGroup:.+$", arn))])
    error_message = "autoscaling_group_arns must be Auto Scaling group ARNs (arn:aws:autoscaling:<region>:<account>:autoScalingGroup:...)."
  }
}

variable "create_helm_release" {
  description = "Install the cluster-autoscaler Helm chart. false creates only the IAM policy and role."
  type        = bool
  default     = true
}

variable "release_name" {
  description = "Name of the Helm release."
  type        = string
  default     = "cluster-autoscaler"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$", var.release_name))
    error_message = "release_name must be 1 to 53 lowercase letters, digits or -, starting and ending with a letter or digit (Helm's rule)."
  }
}

variable "chart_repository" {
  description = "Helm repository of the cluster-autoscaler chart."
  type        = string
  default     = "https://kubernetes.github.io/autoscaler"
}

variable "chart_version" {
  description = "Version of the cluster-autoscaler chart; pinned so that plans do not drift with new chart releases."
  type        = string
  default     = "9.43.2"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+", var.chart_version))
    error_message = "chart_version must be a chart version such as 9.43.2."
  }
}

variable "helm_values" {
  description = "Further values for the chart, as YAML documents, merged after this module's values."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the IAM role and policy."
  type        = map(string)
  default     = {}
}
