# The Autoscaler's least-privilege policy, after the statements in
# terraform-aws-iam's iam-role-for-service-accounts module and the
# cluster-autoscaler AWS cloud provider's README.
data "aws_iam_policy_document" "cluster_autoscaler" {
  # checkov:skip=CKV_AWS_356:The Describe actions have no resource-level permissions, and the scaling actions on "*" are limited by the aws:ResourceTag/k8s.io/cluster-autoscaler/<cluster> = owned condition (or by ASG ARNs), which checkov does not read inside a dynamic block.
  # checkov:skip=CKV_AWS_111:The only write actions (SetDesiredCapacity, TerminateInstanceInAutoScalingGroup) are constrained by ASG ARNs or the owned-tag condition; see the ScaleOwnNodeGroups statement and its terraform test.
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

    # "owned" (the default) matches the value EKS managed node groups set;
    # "any" only requires the tag, whatever its value, which is all that
    # auto-discovery itself reads.
    dynamic "condition" {
      for_each = length(var.autoscaling_group_arns) > 0 ? [] : [coalesce(var.cluster_autoscaler_scaling_tag_key, "k8s.io/cluster-autoscaler/${var.cluster_name}")]

      content {
        test     = var.cluster_autoscaler_scaling_tag_condition == "owned" ? "StringEquals" : "Null"
        variable = "aws:ResourceTag/${condition.value}"
        values   = [var.cluster_autoscaler_scaling_tag_condition == "owned" ? "owned" : "false"]
      }
    }
  }
}
