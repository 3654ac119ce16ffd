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
  description = "ARN of the cluster's IAM OIDC provider."
  type        = string
}

variable "issuer_url" {
  description = "The cluster's OIDC issuer URL."
  type        = string
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
