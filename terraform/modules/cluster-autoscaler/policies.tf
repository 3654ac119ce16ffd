# The Autoscaler's least-privilege policy, after the statements in
# terraform-aws-iam's iam-role-for-service-accounts module and the
# cluster-autoscaler AWS cloud provider's README.
data "aws_iam_policy_document" "cluster_autoscaler" {
  statement {
    sid    = "Describe"
    effect = "Allow"
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
    # Describe calls have no resource-level permissions: "*" is the only
    # resource IAM accepts for them.
    resources = ["*"]
  }

  statement {
    sid    = "ScaleOwnNodeGroups"
    effect = "Allow"
    actions = [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    # Only this cluster's node groups: by ARN when known, otherwise by the
    # tag EKS managed node groups carry. Never a bare "*".
    resources = length(var.autoscaling_group_arns) > 0 ? var.autoscaling_group_arns : ["*"]

    dynamic "condition" {
      for_each = length(var.autoscaling_group_arns) > 0 ? [] : [var.cluster_name]

      content {
        test     = "StringEquals"
        variable = "aws:ResourceTag/k8s.io/cluster-autoscaler/${condition.value}"
        values   = ["owned"]
      }
    }
  }
}
