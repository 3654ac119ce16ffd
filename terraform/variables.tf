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
  description = "Install the cluster-autoscaler Helm release (needs create_cluster_autoscaler_role)."
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

variable "tags" {
  description = "Tags for every IAM resource."
  type        = map(string)
  default     = {}
}
