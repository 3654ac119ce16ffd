# Plan-mode tests of the Autoscaler's policy scoping and Helm values. The
# role is the irsa-role module's (the root module makes it); here its ARN
# is a fixed value, so the annotation is checkable at plan time.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

provider "helm" {
  kubernetes = {
    host = "https://kubernetes.invalid"
  }
}

variables {
  cluster_name = "demo"
  region       = "eu-west-1"
  role_arn     = "arn:aws:iam::123456789012:role/demo-cluster-autoscaler"
}

run "scaling_is_limited_by_the_owned_tag" {
  command = plan

  variables {
    use_name_prefix = false
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.cluster_autoscaler.json).Statement : s.Resource if s.Sid == "Describe"] == ["*"]
    error_message = "describe actions apply to *"
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.cluster_autoscaler.json).Statement : s if s.Sid == "ScaleOwnNodeGroups"][0].Condition == {
      StringEquals = { "aws:ResourceTag/k8s.io/cluster-autoscaler/demo" = "owned" }
    }
    error_message = "scaling actions must carry the k8s.io/cluster-autoscaler/demo = owned condition"
  }

  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.cluster_autoscaler.json).Statement :
      s.Sid == "ScaleOwnNodeGroups" || !anytrue([for a in flatten([s.Action]) : contains(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"], a)])
    ])
    error_message = "scaling actions may appear only in the scoped statement"
  }

  assert {
    condition     = aws_iam_policy.cluster_autoscaler.name == "demo-cluster-autoscaler"
    error_message = "policy name must default to <cluster>-cluster-autoscaler"
  }
}

run "scaling_is_limited_to_given_asg_arns" {
  command = plan

  variables {
    autoscaling_group_arns = ["arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:0b9a:autoScalingGroupName/demo-ng-1"]
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.cluster_autoscaler.json).Statement : s if s.Sid == "ScaleOwnNodeGroups"][0].Resource == "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:0b9a:autoScalingGroupName/demo-ng-1"
    error_message = "scaling actions must apply to the given ASG ARN only"
  }

  assert {
    condition     = !can([for s in jsondecode(data.aws_iam_policy_document.cluster_autoscaler.json).Statement : s if s.Sid == "ScaleOwnNodeGroups"][0].Condition)
    error_message = "no tag condition is needed when ARNs are given"
  }
}

run "helm_values_annotate_the_service_account" {
  command = plan

  assert {
    condition     = yamldecode(helm_release.cluster_autoscaler[0].values[0]).rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"] == "arn:aws:iam::123456789012:role/demo-cluster-autoscaler"
    error_message = "the service account must carry eks.amazonaws.com/role-arn with the role's ARN"
  }

  assert {
    condition     = yamldecode(helm_release.cluster_autoscaler[0].values[0]).autoDiscovery.clusterName == "demo" && yamldecode(helm_release.cluster_autoscaler[0].values[0]).awsRegion == "eu-west-1"
    error_message = "autoDiscovery.clusterName and awsRegion must be the cluster's"
  }

  assert {
    condition     = yamldecode(helm_release.cluster_autoscaler[0].values[0]).rbac.serviceAccount.create == true && yamldecode(helm_release.cluster_autoscaler[0].values[0]).rbac.serviceAccount.name == "cluster-autoscaler"
    error_message = "the chart must create the named service account"
  }

  assert {
    condition     = helm_release.cluster_autoscaler[0].chart == "cluster-autoscaler" && helm_release.cluster_autoscaler[0].repository == "https://kubernetes.github.io/autoscaler" && helm_release.cluster_autoscaler[0].version == "9.43.2" && helm_release.cluster_autoscaler[0].namespace == "kube-system"
    error_message = "chart, repository, pinned version or namespace is wrong"
  }

}

run "helm_release_can_be_left_out" {
  command = plan

  variables {
    enable_cluster_autoscaler = false
  }

  assert {
    condition     = length(helm_release.cluster_autoscaler) == 0 && output.helm_release_name == null
    error_message = "no release when enable_cluster_autoscaler is false"
  }
}

run "rejects_bad_inputs" {
  command = plan

  variables {
    cluster_name                 = "-bad name"
    cluster_autoscaler_namespace = "Kube-System"
    autoscaling_group_arns       = ["*"]
  }

  expect_failures = [var.cluster_name, var.cluster_autoscaler_namespace, var.autoscaling_group_arns]
}

run "names_are_prefixes_by_default" {
  command = plan

  assert {
    condition     = aws_iam_policy.cluster_autoscaler.name_prefix == "demo-cluster-autoscaler-"
    error_message = "IAM names are account-wide: by default they are prefixes with a unique suffix"
  }
}

run "any_value_of_the_tag_with_a_null_condition" {
  command = plan

  variables {
    cluster_autoscaler_scaling_tag_condition = "any"
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.cluster_autoscaler.json).Statement : s if s.Sid == "ScaleOwnNodeGroups"][0].Condition == {
      Null = { "aws:ResourceTag/k8s.io/cluster-autoscaler/demo" = "false" }
    }
    error_message = "scaling_tag_condition = any must require the tag, whatever its value"
  }
}

# Issue 11: the chart ships one Autoscaler release whatever the cluster
# runs; upstream recommends the release of the cluster's minor version.
run "kubernetes_version_picks_the_matching_autoscaler" {
  command = plan

  variables {
    kubernetes_version = "1.34"
  }

  assert {
    condition     = yamldecode(helm_release.cluster_autoscaler[0].values[0]).image == { tag = "v1.34.4" }
    error_message = "Kubernetes 1.34 must get the Autoscaler v1.34.4, from the chart's repository"
  }
}

run "each_known_minor_version_has_its_release" {
  command = plan

  variables {
    kubernetes_version = "1.31.5"
  }

  assert {
    condition     = output.image.tag == "v1.31.0"
    error_message = "1.31 must map to v1.31.0 (a patch version in kubernetes_version is ignored)"
  }
}

run "kubernetes_1_32_gets_v1_32_7" {
  command = plan

  variables {
    kubernetes_version = "1.32"
  }

  assert {
    condition     = output.image.tag == "v1.32.7"
    error_message = "1.32 must map to v1.32.7"
  }
}

run "kubernetes_1_33_gets_v1_33_5" {
  command = plan

  variables {
    kubernetes_version = "1.33"
  }

  assert {
    condition     = output.image.tag == "v1.33.5"
    error_message = "1.33 must map to v1.33.5"
  }
}

run "kubernetes_1_35_gets_v1_35_1" {
  command = plan

  variables {
    kubernetes_version = "v1.35"
  }

  assert {
    condition     = output.image.tag == "v1.35.1"
    error_message = "v1.35 must map to v1.35.1"
  }
}

# Issue 18.5: an unknown version keeps the chart's image (the root module
# warns); the rest of the plan goes on.
run "an_unknown_version_keeps_the_charts_image" {
  command = plan

  variables {
    kubernetes_version = "1.30"
  }

  assert {
    condition     = output.image_tag_known == false && length(output.image) == 0 && length(helm_release.cluster_autoscaler) == 1
    error_message = "1.30 is not in the table: no image override, and the release is still planned"
  }
}

run "image_tag_and_repository_override_the_table" {
  command = plan

  variables {
    kubernetes_version                  = "1.20"
    cluster_autoscaler_image_tag        = "v1.20.3"
    cluster_autoscaler_image_repository = "registry.example.cn/autoscaling/cluster-autoscaler"
  }

  assert {
    condition     = output.image.tag == "v1.20.3" && output.image.repository == "registry.example.cn/autoscaling/cluster-autoscaler"
    error_message = "image_tag and image_repository must reach the chart"
  }
}

# Issue 11: EKS Pod Identity as well as IRSA.
run "pod_identity_uses_an_association_and_no_annotation" {
  command = plan

  variables {
    cluster_autoscaler_identity = "pod_identity"
  }

  assert {
    condition     = length(aws_eks_pod_identity_association.cluster_autoscaler) == 1 && aws_eks_pod_identity_association.cluster_autoscaler[0].namespace == "kube-system" && aws_eks_pod_identity_association.cluster_autoscaler[0].service_account == "cluster-autoscaler" && aws_eks_pod_identity_association.cluster_autoscaler[0].cluster_name == "demo"
    error_message = "pod_identity must associate the service account with the role"
  }

  assert {
    condition     = yamldecode(helm_release.cluster_autoscaler[0].values[0]).rbac.serviceAccount.annotations == {}
    error_message = "pod_identity must not set the role-arn annotation"
  }

}

run "both_keeps_irsa_working_during_a_migration" {
  command = plan

  variables {
    cluster_autoscaler_identity = "both"
  }

  assert {
    condition     = length(aws_eks_pod_identity_association.cluster_autoscaler) == 1 && yamldecode(helm_release.cluster_autoscaler[0].values[0]).rbac.serviceAccount.annotations == { "eks.amazonaws.com/role-arn" = "arn:aws:iam::123456789012:role/demo-cluster-autoscaler" }
    error_message = "both must associate and annotate"
  }

}

# Issue 18.1: the default policy name fits IAM's limits for a 100-character
# cluster name.
run "a_100_character_cluster_name_gives_a_policy_name_that_fits" {
  command = plan

  variables {
    cluster_name = "c${join("", [for i in range(99) : "z"])}"
  }

  assert {
    condition     = length(aws_iam_policy.cluster_autoscaler.name_prefix) <= 102 && startswith(aws_iam_policy.cluster_autoscaler.name_prefix, "czzz")
    error_message = "the policy's name_prefix must fit IAM's 102 characters"
  }
}

run "the_release_needs_a_role" {
  command = plan

  variables {
    role_arn = null
  }

  expect_failures = [helm_release.cluster_autoscaler]
}

# Issue 18.2: a service account pattern is for the trust policy; the chart
# cannot create a service account with that name.
run "a_wildcard_service_account_cannot_be_created_by_the_chart" {
  command = plan

  variables {
    cluster_autoscaler_service_account = "cluster-autoscaler-*"
  }

  expect_failures = [helm_release.cluster_autoscaler]
}
