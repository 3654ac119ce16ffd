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
    condition     = length(module.cluster_autoscaler) == 1 && length(module.cluster_autoscaler_role) == 1 && output.thumbprint_list == tolist(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
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
    condition     = length(module.cluster_autoscaler) == 0 && length(module.cluster_autoscaler_role) == 0 && output.cluster_autoscaler_role_arn == null
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
    condition     = strcontains(output.cluster_autoscaler_trust_policy, "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE")
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
    condition     = strcontains(output.cluster_autoscaler_trust_policy, "extra-audience")
    error_message = "the role's :aud must follow the found provider's client_id_list"
  }
}

run "an_arn_with_create_oidc_provider_is_refused" {
  command = plan

  variables {
    create_oidc_provider = true
    oidc_provider_arn    = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
  }

  expect_failures = [output.oidc_provider_arn]
}

run "an_arn_alone_adopts_that_provider" {
  command = plan

  variables {
    oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
  }

  assert {
    condition     = length(module.oidc_provider) == 0 && output.oidc_provider_arn == "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    error_message = "with create_oidc_provider left null, a given ARN is adopted"
  }
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
    condition     = module.cluster_autoscaler_role[0].name_prefix == "demo-ca-" && module.cluster_autoscaler[0].policy_name_prefix == "demo-ca-policy-"
    error_message = "names are prefixes by default (use_name_prefix = true)"
  }

  assert {
    condition     = strcontains(module.cluster_autoscaler[0].policy_json, "\"Null\"")
    error_message = "scaling_tag_condition = any must use a Null condition on the tag"
  }
}

# Issue 18.1: default names fit IAM's limits for every cluster name EKS
# allows, and stay readable and deterministic.
run "a_19_character_cluster_name_fits_the_role_name_prefix" {
  command = plan

  variables {
    cluster_name = "prod-eu-west-1-main"
  }

  assert {
    condition     = length(module.cluster_autoscaler_role[0].name_prefix) <= 38 && startswith(module.cluster_autoscaler_role[0].name_prefix, "prod-eu-west-1-main-")
    error_message = "the role's name_prefix must fit IAM's 38 characters and start with the cluster name"
  }
}

run "a_100_character_cluster_name_is_cut_and_hashed_to_fit" {
  command = plan

  variables {
    cluster_name = "c${join("", [for i in range(99) : "x"])}"
  }

  assert {
    condition = (module.cluster_autoscaler_role[0].name_prefix
    == "${substr("c${join("", [for i in range(99) : "x"])}-cluster-autoscaler", 0, 28)}-${substr(sha1("c${join("", [for i in range(99) : "x"])}-cluster-autoscaler"), 0, 8)}-")
    error_message = "the default role prefix is the first 28 characters, a hash of the whole name, and the \"-\": 38 characters"
  }

  assert {
    condition     = length(module.cluster_autoscaler[0].policy_name_prefix) <= 102
    error_message = "the policy's name_prefix must fit IAM's 102 characters"
  }
}

run "a_60_character_cluster_name_without_prefixes_fits_64" {
  command = plan

  variables {
    cluster_name    = "c${join("", [for i in range(59) : "y"])}"
    use_name_prefix = false
  }

  assert {
    condition     = length(module.cluster_autoscaler_role[0].name) <= 64 && length(module.cluster_autoscaler[0].policy_name) <= 128
    error_message = "without prefixes the role name must fit 64 characters and the policy name 128"
  }
}

# Issue 18.2: a wildcard service account under StringLike, at the root.
run "a_wildcard_service_account_needs_string_like" {
  command = plan

  variables {
    cluster_autoscaler_service_account = "cluster-autoscaler-*"
    enable_cluster_autoscaler          = false
  }

  expect_failures = [output.cluster_autoscaler_trust_policy]
}

run "a_wildcard_service_account_under_string_like" {
  command = plan

  variables {
    cluster_autoscaler_service_account = "cluster-autoscaler-*"
    trust_condition_test               = "StringLike"
    enable_cluster_autoscaler          = false
    oidc_provider_arn                  = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
  }

  assert {
    condition     = strcontains(output.cluster_autoscaler_trust_policy, "StringLike") && strcontains(output.cluster_autoscaler_trust_policy, "system:serviceaccount:kube-system:cluster-autoscaler-*")
    error_message = "the trust policy must match the subject pattern with StringLike"
  }
}

# Issue 18.3: one URL, normalised once.
run "the_issuer_url_is_normalised_once" {
  command = plan

  variables {
    issuer_url = "HTTPS://OIDC.EKS.US-EAST-1.AMAZONAWS.COM/id/EXAMPLE/"
  }

  assert {
    condition     = output.issuer_url == "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE" && output.issuer_host_path == "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    error_message = "lowercase scheme and host, path kept, no trailing slash"
  }

  assert {
    condition     = module.oidc_provider[0].url == "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    error_message = "the provider is created for the normalised URL"
  }
}

run "an_existing_provider_is_found_by_the_normalised_url" {
  command = plan

  variables {
    issuer_url           = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE/"
    create_oidc_provider = false
  }

  override_data {
    target = data.aws_iam_openid_connect_provider.existing[0]
    values = {
      arn            = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
      client_id_list = ["sts.amazonaws.com"]
    }
  }

  assert {
    condition     = data.aws_iam_openid_connect_provider.existing[0].url == "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    error_message = "the lookup must use the normalised URL"
  }

  assert {
    condition     = strcontains(output.cluster_autoscaler_trust_policy, "\"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub\"")
    error_message = "condition keys come without the trailing slash"
  }
}

run "thumbprints_in_openssls_form_are_stored_as_lowercase_hex" {
  command = plan

  variables {
    thumbprints            = ["9E:99:A4:8A:99:60:B1:49:26:BB:7F:3B:02:E2:2D:A2:B0:AB:72:80"]
    additional_thumbprints = ["8DA7F965EC5EFC37910F1C6E59FDC1CC6A6EDE16"]
  }

  assert {
    condition     = output.thumbprint_list == tolist(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280", "8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16"])
    error_message = "openssl's form must be stored as 40 lowercase hex digits"
  }
}

run "a_thumbprint_that_is_not_one_is_refused" {
  command = plan

  variables {
    thumbprints = ["9E:99:A4"]
  }

  expect_failures = [var.thumbprints]
}

# Issue 18.4: Pod Identity needs no issuer_url, no OIDC provider and no
# thumbprint program.
run "pod_identity_needs_no_oidc_provider" {
  command = plan

  variables {
    issuer_url                  = null
    thumbprints                 = null
    cluster_autoscaler_identity = "pod_identity"
    oidc_thumbprint_program     = ["/nonexistent/oidc-thumbprint"]
  }

  assert {
    condition     = length(module.oidc_provider) == 0 && length(data.aws_iam_openid_connect_provider.existing) == 0 && output.oidc_provider_arn == null
    error_message = "pod_identity must not create, look up or fetch for an OIDC provider"
  }

  assert {
    condition     = strcontains(output.cluster_autoscaler_trust_policy, "pods.eks.amazonaws.com") && !strcontains(output.cluster_autoscaler_trust_policy, "oidc-provider")
    error_message = "the role trusts EKS Pod Identity only"
  }
}

run "pod_identity_with_create_oidc_provider_false_looks_nothing_up" {
  command = plan

  variables {
    issuer_url                  = null
    create_oidc_provider        = false
    cluster_autoscaler_identity = "pod_identity"
  }

  assert {
    condition     = length(data.aws_iam_openid_connect_provider.existing) == 0 && length(module.oidc_provider) == 0
    error_message = "no lookup by URL in pod_identity mode"
  }
}

# Issue 18.5: an unknown Kubernetes version warns and keeps the chart's image.
run "an_unknown_kubernetes_version_keeps_the_charts_image" {
  command = plan

  variables {
    kubernetes_version = "1.30"
  }

  # A warning in a plan; terraform test counts it, so it is expected here.
  expect_failures = [check.cluster_autoscaler_image]

  assert {
    condition     = length(module.cluster_autoscaler[0].image) == 0 && length(module.oidc_provider) == 1
    error_message = "1.30 is not in the table: the chart's image, and the rest of the plan goes on"
  }
}

# Issue 18.6: every option of a submodule is reachable from the root.
run "submodule_options_reach_from_the_root" {
  command = plan

  variables {
    create_oidc_provider                         = false
    oidc_provider_arn                            = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    thumbprint_discovery                         = false
    cluster_autoscaler_role_description          = "the autoscaler"
    cluster_autoscaler_role_max_session_duration = 7200
    cluster_autoscaler_policy_description        = "upstream's words"
    cluster_autoscaler_scaling_tag_key           = "kubernetes.io/cluster/demo"
    cluster_autoscaler_additional_oidc_providers = [{ arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/NEXT" }]
    cluster_autoscaler_helm_wait                 = false
    cluster_autoscaler_helm_atomic               = true
    cluster_autoscaler_helm_timeout              = 600
  }

  assert {
    condition     = module.cluster_autoscaler_role[0].description == "the autoscaler" && module.cluster_autoscaler_role[0].max_session_duration == 7200
    error_message = "the role's description and max session duration"
  }

  assert {
    condition     = strcontains(output.cluster_autoscaler_trust_policy, "oidc.eks.eu-west-1.amazonaws.com/id/NEXT:sub")
    error_message = "additional providers reach the trust policy"
  }

  assert {
    condition     = strcontains(module.cluster_autoscaler[0].policy_json, "aws:ResourceTag/kubernetes.io/cluster/demo") && module.cluster_autoscaler[0].policy_description == "upstream's words"
    error_message = "the scaling tag key and the policy description"
  }

  assert {
    condition     = module.cluster_autoscaler[0].helm_settings == { wait = false, atomic = true, timeout = 600 }
    error_message = "Helm wait, atomic and timeout"
  }
}

run "client_id_list_and_discovery_reach_the_provider" {
  command = plan

  variables {
    client_id_list       = ["sts.amazonaws.com", "other"]
    thumbprint_discovery = false
  }

  assert {
    condition     = toset(module.oidc_provider[0].client_id_list) == toset(["sts.amazonaws.com", "other"])
    error_message = "client_id_list reaches the provider"
  }
}
