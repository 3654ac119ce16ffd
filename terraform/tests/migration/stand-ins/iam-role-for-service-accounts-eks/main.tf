# Test stand-in for terraform-aws-iam's iam-role-for-service-accounts-eks
# with attach_cluster_autoscaler_policy = true: its role, its policy (name
# prefix, description and tag condition as upstream's) and the attachment,
# at upstream's addresses. Never for users.
variable "role_name" {
  description = "Name of the role."
  type        = string
}

variable "cluster_name" {
  description = "The cluster whose node groups the policy scales."
  type        = string
}

variable "oidc_provider_arn" {
  description = "The provider the role trusts."
  type        = string
}

variable "namespace_service_accounts" {
  description = "namespace:name pairs, as upstream's oidc_providers.main.namespace_service_accounts."
  type        = list(string)
  default     = ["kube-system:cluster-autoscaler"]
}

locals {
  host_path = regex(":oidc-provider/(.+)$", var.oidc_provider_arn)[0]
}

data "aws_iam_policy_document" "this" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.host_path}:sub"
      values   = [for sa in var.namespace_service_accounts : "system:serviceaccount:${sa}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.host_path}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  count = 1

  name                  = var.role_name
  path                  = "/"
  assume_role_policy    = data.aws_iam_policy_document.this.json
  max_session_duration  = 3600
  force_detach_policies = true
}

data "aws_iam_policy_document" "cluster_autoscaler" {
  # checkov:skip=CKV_AWS_356:A test stand-in that reproduces terraform-aws-iam's policy as upstream writes it, to test the migration from it; never for users.
  statement {
    actions = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "autoscaling:DescribeTags",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
      "eks:DescribeNodegroup",
    ]
    resources = ["*"]
  }

  statement {
    actions = [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "autoscaling:ResourceTag/kubernetes.io/cluster/${var.cluster_name}"
      values   = ["owned"]
    }
  }
}

resource "aws_iam_policy" "cluster_autoscaler" {
  count = 1

  name_prefix = "AmazonEKS_Cluster_Autoscaler_Policy-"
  path        = "/"
  description = "Cluster autoscaler policy to allow examination and modification of EC2 Auto Scaling Groups"
  policy      = data.aws_iam_policy_document.cluster_autoscaler.json
}

resource "aws_iam_role_policy_attachment" "cluster_autoscaler" {
  count = 1

  role       = aws_iam_role.this[0].name
  policy_arn = aws_iam_policy.cluster_autoscaler[0].arn
}

output "iam_role_arn" {
  description = "ARN of the role."
  value       = aws_iam_role.this[0].arn
}

output "policy_name" {
  description = "The policy's full name, as IAM made it from the prefix."
  value       = aws_iam_policy.cluster_autoscaler[0].name
}
