# Plan-mode tests of the IRSA trust policy. The aws provider runs for real
# with fake credentials: aws_iam_policy_document is computed locally.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variables {
  name              = "irsa-test"
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  service_accounts = [
    { namespace = "kube-system", name = "cluster-autoscaler" },
    { namespace = "apps", name = "web.frontend" },
  ]
  policy_arns = { read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess" }
}

# Issue 18: one statement per service account overran IAM's 2,048-character
# trust policy with five of them; one statement per provider lists them all.
run "one_statement_per_provider_with_every_subject_and_the_audience" {
  command = plan

  assert {
    condition     = length(jsondecode(data.aws_iam_policy_document.trust.json).Statement) == 1
    error_message = "expected one trust statement for the one provider"
  }

  assert {
    condition = jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition == {
      StringEquals = {
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub" = [
          "system:serviceaccount:kube-system:cluster-autoscaler",
          "system:serviceaccount:apps:web.frontend",
        ]
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud" = "sts.amazonaws.com"
      }
    }
    error_message = "the statement must require one of the two subjects, and the audience"
  }

  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.trust.json).Statement :
      s.Principal == { Federated = var.oidc_provider_arn } && s.Action == "sts:AssumeRoleWithWebIdentity" && s.Effect == "Allow"
    ])
    error_message = "every statement must allow sts:AssumeRoleWithWebIdentity to the provider ARN only"
  }

  assert {
    condition     = aws_iam_role.this.name == "irsa-test" && aws_iam_role.this.path == "/"
    error_message = "role name or path is wrong"
  }

  assert {
    condition     = aws_iam_role_policy_attachment.this["read_only"].policy_arn == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    error_message = "the policy is not attached"
  }
}

# Issue 11: the condition-key prefix comes from the provider ARN, the one
# input; there is no separate issuer_url that could disagree with it.
run "condition_keys_come_from_the_provider_arn" {
  command = plan

  variables {
    oidc_provider_arn = "arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/CHINA"
    service_accounts  = [{ namespace = "default", name = "app" }]
  }

  assert {
    condition     = keys(jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition.StringEquals) == ["oidc.eks.cn-north-1.amazonaws.com.cn/id/CHINA:aud", "oidc.eks.cn-north-1.amazonaws.com.cn/id/CHINA:sub"]
    error_message = "condition keys must be <host/path of the ARN>:aud and :sub"
  }
}

run "the_audience_follows_the_providers_client_ids" {
  command = plan

  variables {
    audiences        = ["sts.amazonaws.com", "my-audience"]
    service_accounts = [{ namespace = "default", name = "app" }]
  }

  assert {
    condition     = toset(jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition.StringEquals["oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud"]) == toset(["my-audience", "sts.amazonaws.com"])
    error_message = ":aud must accept exactly the provider's client ids"
  }
}

run "one_role_trusts_two_clusters_for_a_blue_green_move" {
  command = plan

  variables {
    service_accounts = [{ namespace = "kube-system", name = "cluster-autoscaler" }]
    additional_oidc_providers = [
      { arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/GREEN" },
    ]
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.trust.json).Statement : s.Principal.Federated] == [
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/GREEN",
    ]
    error_message = "one statement per provider"
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.trust.json).Statement[1].Condition.StringEquals["oidc.eks.us-east-1.amazonaws.com/id/GREEN:sub"] == "system:serviceaccount:kube-system:cluster-autoscaler"
    error_message = "the second provider's statement must check its own keys"
  }
}

# IAM counts a trust policy's characters with white space removed; its
# default limit is 2,048. Ten service accounts with long names stay under it.
run "ten_service_accounts_fit_iams_trust_policy_limit" {
  command = plan

  variables {
    service_accounts = [for n in range(10) : { namespace = "team-${n}-workloads", name = "service-account-number-${n}" }]
  }

  assert {
    condition     = length(replace(data.aws_iam_policy_document.trust.json, "/\\s/", "")) < 2048
    error_message = "the trust policy of ten service accounts must stay under 2,048 characters as IAM counts them (${length(replace(data.aws_iam_policy_document.trust.json, "/\\s/", ""))})"
  }

  assert {
    condition     = length(jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition.StringEquals["oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"]) == 10
    error_message = "every service account must be a subject"
  }
}

run "wildcard_subjects_match_under_string_like" {
  command = plan

  variables {
    trust_condition_test = "StringLike"
    service_accounts     = [{ namespace = "kube-system", name = "cluster-autoscaler-*" }, { namespace = "team-?", name = "app" }]
  }

  assert {
    condition = jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition == {
      StringLike = {
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub" = [
          "system:serviceaccount:kube-system:cluster-autoscaler-*",
          "system:serviceaccount:team-?:app",
        ]
      }
      StringEquals = {
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud" = "sts.amazonaws.com"
      }
    }
    error_message = "the subjects must be StringLike patterns and the audience still an exact match"
  }
}

# A wildcard under StringEquals would name a service account literally "*":
# refused at plan, naming trust_condition_test.
run "a_wildcard_under_string_equals_is_refused" {
  command = plan

  variables {
    service_accounts = [{ namespace = "kube-system", name = "cluster-autoscaler-*" }]
  }

  expect_failures = [aws_iam_role.this]
}

run "trust_condition_test_is_one_of_two" {
  command = plan

  variables {
    trust_condition_test = "StringNotEquals"
  }

  expect_failures = [var.trust_condition_test]
}

run "pod_identity_trusts_the_eks_auth_service" {
  command = plan

  variables {
    oidc_provider_arn  = null
    trust_pod_identity = true
  }

  assert {
    condition = jsondecode(data.aws_iam_policy_document.trust.json).Statement == [{
      Sid       = "PodIdentity"
      Effect    = "Allow"
      Action    = ["sts:TagSession", "sts:AssumeRole"]
      Principal = { Service = "pods.eks.amazonaws.com" }
    }]
    error_message = "Pod Identity needs sts:AssumeRole and sts:TagSession for pods.eks.amazonaws.com, and nothing else"
  }
}

run "a_role_that_trusts_nobody_is_refused" {
  command = plan

  variables {
    oidc_provider_arn = null
  }

  expect_failures = [aws_iam_role.this]
}

run "a_name_prefix_keeps_role_names_apart" {
  command = plan

  variables {
    use_name_prefix = true
  }

  assert {
    condition     = aws_iam_role.this.name_prefix == "irsa-test-"
    error_message = "use_name_prefix must give name_prefix = <name>-"
  }
}

run "rejects_namespace_kubernetes_would_reject" {
  command = plan

  variables {
    service_accounts = [{ namespace = "Kube_System", name = "app" }]
  }

  expect_failures = [var.service_accounts]
}

run "rejects_service_account_kubernetes_would_reject" {
  command = plan

  variables {
    service_accounts = [{ namespace = "default", name = "App-" }]
  }

  expect_failures = [var.service_accounts]
}

run "rejects_no_service_accounts" {
  command = plan

  variables {
    service_accounts = []
  }

  expect_failures = [var.service_accounts]
}

run "rejects_bad_role_name_and_provider_arn" {
  command = plan

  variables {
    name              = "a role with spaces"
    oidc_provider_arn = "arn:aws:iam::123456789012:role/not-a-provider"
  }

  expect_failures = [var.name, var.oidc_provider_arn]
}
