variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name: 1 to 100 letters, digits, - or _, starting with a letter or digit."
  }
}

variable "issuer_url" {
  description = "The cluster's OIDC issuer URL: aws_eks_cluster.this.identity[0].oidc[0].issuer."
  type        = string
}

variable "create_oidc_provider" {
  description = "Create the IAM OIDC provider for issuer_url. Set false on a cluster that has one already (made by eksctl, the console or terraform-aws-eks): give oidc_provider_arn, or leave it null to look the provider up by issuer_url. Nothing provider-related is then created or destroyed."
  type        = bool
  default     = true
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
  description = "AWS region of the cluster."
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

  validation {
    condition     = contains(["fetch", "pinned", "iam"], var.thumbprint_mode)
    error_message = "thumbprint_mode must be \"fetch\", \"pinned\" or \"iam\"."
  }
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
  description = "Thumbprints to list instead of running oidc-thumbprint (air-gapped runs); null runs it."
  type        = list(string)
  default     = null
}

variable "additional_thumbprints" {
  description = "Thumbprints listed after the fetched ones."
  type        = list(string)
  default     = []
}

variable "thumbprint_timeout" {
  description = "Seconds oidc-thumbprint may take in all."
  type        = number
  default     = 10
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

  validation {
    condition     = contains(["irsa", "pod_identity", "both"], var.cluster_autoscaler_identity)
    error_message = "cluster_autoscaler_identity must be \"irsa\", \"pod_identity\" or \"both\"."
  }
}

variable "kubernetes_version" {
  description = "The cluster's Kubernetes version (data.aws_eks_cluster.this.version): picks the Autoscaler release of that minor version. null keeps the chart's."
  type        = string
  default     = null

  validation {
    condition     = var.kubernetes_version == null || can(regex("^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?$", var.kubernetes_version))
    error_message = "kubernetes_version must be a version such as 1.33."
  }
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

  validation {
    condition     = contains(["owned", "any"], var.cluster_autoscaler_scaling_tag_condition)
    error_message = "cluster_autoscaler_scaling_tag_condition must be \"owned\" or \"any\"."
  }
}

variable "cluster_autoscaler_role_name" {
  description = "Name (or, with use_name_prefix, prefix) of the Autoscaler's IAM role; null: <cluster_name>-cluster-autoscaler."
  type        = string
  default     = null
}

variable "cluster_autoscaler_policy_name" {
  description = "Name (or, with use_name_prefix, prefix) of the Autoscaler's IAM policy; null: <cluster_name>-cluster-autoscaler."
  type        = string
  default     = null
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
