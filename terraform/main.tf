locals {
  # One issuer URL, normalised once: lowercase scheme and host, no trailing
  # slash. IAM keys the provider by it, so the provider, its ARN, every
  # condition key, the lookup of an existing provider and the outputs all
  # use this value.
  issuer_parts     = var.issuer_url == null ? null : regex("^(?i:https)://([^/]+)(.*)$", var.issuer_url)
  issuer_url       = var.issuer_url == null ? null : "https://${lower(local.issuer_parts[0])}${trimsuffix(local.issuer_parts[1], "/")}"
  issuer_host_path = local.issuer_url == null ? null : trimprefix(local.issuer_url, "https://")

  # openssl prints thumbprints as upper-case hex with colons; IAM lists them
  # as 40 lowercase hex digits.
  thumbprints            = var.thumbprints == null ? null : [for t in var.thumbprints : lower(replace(t, ":", ""))]
  additional_thumbprints = [for t in var.additional_thumbprints : lower(replace(t, ":", ""))]

  irsa         = var.create_cluster_autoscaler_role && contains(["irsa", "both"], var.cluster_autoscaler_identity)
  pod_identity = var.create_cluster_autoscaler_role && contains(["pod_identity", "both"], var.cluster_autoscaler_identity)
  # null: a provider when something here trusts it (IRSA) and no ARN names
  # an existing one. Pod Identity needs no OIDC provider, no issuer_url and
  # no thumbprint program.
  create_oidc_provider = coalesce(var.create_oidc_provider, local.irsa && var.oidc_provider_arn == null)
  find_oidc_provider   = !local.create_oidc_provider && var.oidc_provider_arn == null && local.irsa

  # IAM's limits: a role name is at most 64 characters, a name_prefix at
  # most 38 (IAM adds 26), of which the module's "-" takes one. The default
  # name is cut and given a short hash of the whole when it does not fit:
  # readable, stable across plans, distinct per cluster.
  role_name_limit         = var.use_name_prefix ? 37 : 64
  default_autoscaler_name = "${var.cluster_name}-cluster-autoscaler"
  cluster_autoscaler_role_name = coalesce(var.cluster_autoscaler_role_name, length(local.default_autoscaler_name) <= local.role_name_limit
    ? local.default_autoscaler_name
  : "${substr(local.default_autoscaler_name, 0, local.role_name_limit - 9)}-${substr(sha1(local.default_autoscaler_name), 0, 8)}")
}

module "oidc_provider" {
  source = "./modules/oidc-provider"
  count  = local.create_oidc_provider ? 1 : 0

  issuer_url              = local.issuer_url
  thumbprint_mode         = var.thumbprint_mode
  oidc_thumbprint_program = var.oidc_thumbprint_program
  thumbprints             = local.thumbprints
  additional_thumbprints  = local.additional_thumbprints
  thumbprint_discovery    = var.thumbprint_discovery
  thumbprint_timeout      = var.thumbprint_timeout
  ca_file                 = var.ca_file
  client_id_list          = var.client_id_list
  tags                    = var.tags
}

# "pinned": on each plan, warn (never fail) when the issuer's live top
# certificate is not among the pinned thumbprints or expires soon. Explicit
# "pinned" only: thumbprints given with the default mode (air-gapped runs,
# or the native provider's) keep their quiet behaviour.
module "thumbprint_check" {
  source = "./modules/thumbprint-check"
  count  = local.create_oidc_provider && var.thumbprint_mode == "pinned" && var.check_pinned_thumbprints ? 1 : 0

  issuer_url                     = local.issuer_url
  thumbprints                    = concat(coalesce(local.thumbprints, []), local.additional_thumbprints)
  oidc_thumbprint_program        = var.oidc_thumbprint_program
  thumbprint_discovery           = var.thumbprint_discovery
  thumbprint_timeout             = var.thumbprint_timeout
  ca_file                        = var.ca_file
  thumbprint_expiry_warning_days = var.thumbprint_expiry_warning_days
}

# Most clusters already have a provider (eksctl, the console,
# terraform-aws-eks made it): creating a second one for the same URL fails
# with 409 EntityAlreadyExists. Given no ARN, it is found by its URL.
data "aws_iam_openid_connect_provider" "existing" {
  count = local.find_oidc_provider ? 1 : 0

  url = local.issuer_url
}

locals {
  oidc_provider_arn = (local.create_oidc_provider ? module.oidc_provider[0].arn
  : try(coalesce(var.oidc_provider_arn, one(data.aws_iam_openid_connect_provider.existing[*].arn)), null))
  # The audiences IRSA roles accept follow the provider's client ids.
  oidc_audiences = coalescelist(
    local.create_oidc_provider ? tolist(module.oidc_provider[0].client_id_list) : try(tolist(data.aws_iam_openid_connect_provider.existing[0].client_id_list), []),
    ["sts.amazonaws.com"],
  )
}

# The Autoscaler's policy, its Pod Identity association and its Helm release.
module "cluster_autoscaler" {
  source = "./modules/cluster-autoscaler"
  count  = var.create_cluster_autoscaler_role ? 1 : 0

  cluster_name                             = var.cluster_name
  region                                   = var.region
  role_arn                                 = module.cluster_autoscaler_role[0].arn
  wait_for                                 = local.create_oidc_provider ? module.oidc_provider[0].arn : null
  cluster_autoscaler_identity              = var.cluster_autoscaler_identity
  cluster_autoscaler_namespace             = var.cluster_autoscaler_namespace
  cluster_autoscaler_service_account       = var.cluster_autoscaler_service_account
  kubernetes_version                       = var.kubernetes_version
  cluster_autoscaler_image_tag             = var.cluster_autoscaler_image_tag
  cluster_autoscaler_image_repository      = var.cluster_autoscaler_image_repository
  cluster_autoscaler_scaling_tag_condition = var.cluster_autoscaler_scaling_tag_condition
  cluster_autoscaler_scaling_tag_key       = var.cluster_autoscaler_scaling_tag_key
  autoscaling_group_arns                   = var.autoscaling_group_arns
  use_name_prefix                          = var.use_name_prefix
  iam_path                                 = var.iam_path
  cluster_autoscaler_policy_name           = var.cluster_autoscaler_policy_name
  cluster_autoscaler_policy_description    = var.cluster_autoscaler_policy_description
  enable_cluster_autoscaler                = var.enable_cluster_autoscaler
  cluster_autoscaler_release_name          = var.cluster_autoscaler_release_name
  cluster_autoscaler_chart_repository      = var.cluster_autoscaler_chart_repository
  cluster_autoscaler_chart_version         = var.cluster_autoscaler_chart_version
  cluster_autoscaler_helm_values           = var.cluster_autoscaler_helm_values
  cluster_autoscaler_helm_wait             = var.cluster_autoscaler_helm_wait
  cluster_autoscaler_helm_atomic           = var.cluster_autoscaler_helm_atomic
  cluster_autoscaler_helm_timeout          = var.cluster_autoscaler_helm_timeout
  tags                                     = var.tags
}

# The Autoscaler's role: trusted by the cluster's OIDC provider (IRSA), by
# EKS Pod Identity, or both, with the policy attached.
module "cluster_autoscaler_role" {
  source = "./modules/irsa-role"
  count  = var.create_cluster_autoscaler_role ? 1 : 0

  name                      = local.cluster_autoscaler_role_name
  description               = var.cluster_autoscaler_role_description
  use_name_prefix           = var.use_name_prefix
  iam_path                  = var.iam_path
  permissions_boundary      = var.permissions_boundary
  force_detach_policies     = var.force_detach_policies
  max_session_duration      = var.cluster_autoscaler_role_max_session_duration
  oidc_provider_arn         = local.irsa ? local.oidc_provider_arn : null
  audiences                 = local.oidc_audiences
  additional_oidc_providers = local.irsa ? var.cluster_autoscaler_additional_oidc_providers : []
  trust_pod_identity        = local.pod_identity
  trust_condition_test      = var.trust_condition_test
  service_accounts          = module.cluster_autoscaler[0].service_accounts
  policy_arns               = { cluster_autoscaler = module.cluster_autoscaler[0].policy_arn }
  tags                      = var.tags
}

# A Kubernetes version the Autoscaler table does not know (still in EKS
# extended support, or newer than this module) is no reason to stop the
# whole plan: the chart's own image is used, and the plan warns.
check "cluster_autoscaler_image" {
  assert {
    condition     = !var.create_cluster_autoscaler_role || !var.enable_cluster_autoscaler || try(module.cluster_autoscaler[0].image_tag_known, true)
    error_message = "No Cluster Autoscaler release is known here for Kubernetes ${coalesce(var.kubernetes_version, "?")}: the chart's own image (cluster-autoscaler chart ${var.cluster_autoscaler_chart_version}) is used. Set cluster_autoscaler_image_tag to the Autoscaler release of that minor version (e.g. v1.30.4 for 1.30)."
  }
}
