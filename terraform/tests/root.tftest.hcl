# Plan-mode tests of the root module's composition.

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
  region       = "us-east-1"
  issuer_url   = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
  thumbprints  = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

run "everything_by_default" {
  command = plan

  assert {
    condition     = length(module.cluster_autoscaler) == 1 && output.thumbprint_list == tolist(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    error_message = "the autoscaler role and the provider are created by default"
  }
}

run "enable_cluster_autoscaler_toggles_the_helm_release" {
  command = plan

  variables {
    enable_cluster_autoscaler = false
  }

  assert {
    condition     = length(module.cluster_autoscaler) == 1 && module.cluster_autoscaler[0].helm_release_name == null
    error_message = "with enable_cluster_autoscaler = false the IAM role stays and the release goes"
  }
}

run "autoscaler_role_can_be_left_out" {
  command = plan

  variables {
    create_cluster_autoscaler_role = false
    enable_cluster_autoscaler      = false
  }

  assert {
    condition     = length(module.cluster_autoscaler) == 0 && output.cluster_autoscaler_role_arn == null
    error_message = "no autoscaler resources when create_cluster_autoscaler_role is false"
  }
}

# Issue 11: most clusters already have a provider. With its ARN given,
# nothing provider-related is planned and the roles trust that ARN.
run "an_existing_provider_given_by_arn" {
  command = plan

  variables {
    create_oidc_provider = false
    oidc_provider_arn    = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
  }

  assert {
    condition     = length(module.oidc_provider) == 0 && length(data.aws_iam_openid_connect_provider.existing) == 0
    error_message = "no provider is created or looked up when its ARN is given"
  }

  assert {
    condition     = output.oidc_provider_arn == "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    error_message = "the given ARN is the module's provider ARN"
  }

  assert {
    condition     = strcontains(module.cluster_autoscaler[0].trust_policy, "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE")
    error_message = "the autoscaler role must trust the existing provider"
  }

  assert {
    condition     = output.thumbprint_list == null && output.issuer_host_path == "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    error_message = "no thumbprints without a provider created here; the condition-key prefix stays"
  }
}

run "an_existing_provider_found_by_its_url" {
  command = plan

  variables {
    create_oidc_provider = false
  }

  override_data {
    target = data.aws_iam_openid_connect_provider.existing[0]
    values = {
      arn            = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
      client_id_list = ["sts.amazonaws.com", "extra-audience"]
    }
  }

  assert {
    condition     = length(module.oidc_provider) == 0 && length(data.aws_iam_openid_connect_provider.existing) == 1
    error_message = "without an ARN the provider is looked up by issuer_url"
  }

  assert {
    condition     = output.oidc_provider_arn == "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    error_message = "the provider found is the module's provider ARN"
  }

  assert {
    condition     = strcontains(module.cluster_autoscaler[0].trust_policy, "extra-audience")
    error_message = "the role's :aud must follow the found provider's client_id_list"
  }
}

run "an_arn_with_create_oidc_provider_is_refused" {
  command = plan

  variables {
    oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
  }

  expect_failures = [output.oidc_provider_arn]
}

run "an_oidc_provider_arn_that_is_not_one_is_refused" {
  command = plan

  variables {
    create_oidc_provider = false
    oidc_provider_arn    = "arn:aws:iam::123456789012:role/not-a-provider"
  }

  expect_failures = [var.oidc_provider_arn]
}

# Issue 11: the release without its role installed nothing, silently.
run "a_release_without_its_role_is_refused" {
  command = plan

  variables {
    create_cluster_autoscaler_role = false
  }

  expect_failures = [output.cluster_autoscaler_role_arn]
}

run "every_knob_reaches_the_autoscaler" {
  command = plan

  variables {
    kubernetes_version                       = "1.33"
    cluster_autoscaler_image_repository      = "registry.example.cn/autoscaling/cluster-autoscaler"
    cluster_autoscaler_chart_repository      = "https://charts.example.internal/autoscaler"
    cluster_autoscaler_release_name          = "ca"
    cluster_autoscaler_helm_values           = ["extraArgs:\n  expander: least-waste\n"]
    cluster_autoscaler_role_name             = "demo-ca"
    cluster_autoscaler_policy_name           = "demo-ca-policy"
    cluster_autoscaler_scaling_tag_condition = "any"
    iam_path                                 = "/eks/"
    permissions_boundary                     = "arn:aws:iam::123456789012:policy/boundary"
    force_detach_policies                    = true
  }

  assert {
    condition     = module.cluster_autoscaler[0].image.tag == "v1.33.5" && module.cluster_autoscaler[0].image.repository == "registry.example.cn/autoscaling/cluster-autoscaler"
    error_message = "kubernetes_version 1.33 must pick v1.33.5, from the given repository"
  }

  assert {
    condition     = module.cluster_autoscaler[0].helm_release_name == "ca" && module.cluster_autoscaler[0].helm_repository == "https://charts.example.internal/autoscaler" && length(module.cluster_autoscaler[0].helm_values) == 2
    error_message = "release name, repository and extra values must reach the release"
  }

  assert {
    condition     = module.cluster_autoscaler[0].role_name_prefix == "demo-ca-" && module.cluster_autoscaler[0].policy_name_prefix == "demo-ca-policy-"
    error_message = "names are prefixes by default (use_name_prefix = true)"
  }

  assert {
    condition     = strcontains(module.cluster_autoscaler[0].policy_json, "\"Null\"")
    error_message = "scaling_tag_condition = any must use a Null condition on the tag"
  }
}
