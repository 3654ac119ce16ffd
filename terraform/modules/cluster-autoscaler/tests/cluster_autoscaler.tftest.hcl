# Plan-mode tests of the Autoscaler's policy scoping and Helm values. The
# role's ARN is only known after apply, so it is overridden with a fixed
# value to make the annotation checkable at plan time.

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

override_resource {
  target          = module.irsa_role.aws_iam_role.this
  override_during = plan
  values = {
    arn = "arn:aws:iam::123456789012:role/demo-cluster-autoscaler"
  }
}

variables {
  cluster_name      = "demo"
  region            = "eu-west-1"
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  issuer_url        = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
}

run "scaling_is_limited_by_the_owned_tag" {
  command = plan

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

  assert {
    condition     = module.irsa_role.trust_policy != "" && jsondecode(module.irsa_role.trust_policy).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub"] == "system:serviceaccount:kube-system:cluster-autoscaler"
    error_message = "the role must trust kube-system/cluster-autoscaler"
  }
}

run "helm_release_can_be_left_out" {
  command = plan

  variables {
    create_helm_release = false
  }

  assert {
    condition     = length(helm_release.cluster_autoscaler) == 0 && output.helm_release_name == null
    error_message = "no release when create_helm_release is false"
  }
}

run "rejects_bad_inputs" {
  command = plan

  variables {
    cluster_name           = "-bad name"
    namespace              = "Kube-System"
    autoscaling_group_arns = ["*"]
  }

  expect_failures = [var.cluster_name, var.namespace, var.autoscaling_group_arns]
}
