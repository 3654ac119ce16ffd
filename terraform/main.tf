module "oidc_provider" {
  source = "./modules/oidc-provider"
  count  = var.create_oidc_provider ? 1 : 0

  issuer_url                     = var.issuer_url
  thumbprint_mode                = var.thumbprint_mode
  check_pinned_thumbprints       = var.check_pinned_thumbprints
  thumbprint_expiry_warning_days = var.thumbprint_expiry_warning_days
  program                        = var.oidc_thumbprint_program
  thumbprints                    = var.thumbprints
  additional_thumbprints         = var.additional_thumbprints
  timeout                        = var.thumbprint_timeout
  ca_file                        = var.ca_file
  tags                           = var.tags
}

# Most clusters already have a provider (eksctl, the console,
# terraform-aws-eks made it): creating a second one for the same URL fails
# with 409 EntityAlreadyExists. Given no ARN, it is found by its URL.
data "aws_iam_openid_connect_provider" "existing" {
  count = !var.create_oidc_provider && var.oidc_provider_arn == null ? 1 : 0

  url = var.issuer_url
}

locals {
  oidc_provider_arn = (var.create_oidc_provider ? module.oidc_provider[0].arn
  : coalesce(var.oidc_provider_arn, one(data.aws_iam_openid_connect_provider.existing[*].arn)))
  # The audiences IRSA roles accept follow the provider's client ids.
  oidc_audiences = coalescelist(
    var.create_oidc_provider ? tolist(module.oidc_provider[0].client_id_list) : try(tolist(data.aws_iam_openid_connect_provider.existing[0].client_id_list), []),
    ["sts.amazonaws.com"],
  )
  issuer_host_path = trimsuffix(trimprefix(var.issuer_url, "https://"), "/")
}

module "cluster_autoscaler" {
  source = "./modules/cluster-autoscaler"
  count  = var.create_cluster_autoscaler_role ? 1 : 0

  cluster_name           = var.cluster_name
  region                 = var.region
  oidc_provider_arn      = local.oidc_provider_arn
  audiences              = local.oidc_audiences
  identity               = var.cluster_autoscaler_identity
  namespace              = var.cluster_autoscaler_namespace
  service_account        = var.cluster_autoscaler_service_account
  chart_version          = var.cluster_autoscaler_chart_version
  chart_repository       = var.cluster_autoscaler_chart_repository
  release_name           = var.cluster_autoscaler_release_name
  helm_values            = var.cluster_autoscaler_helm_values
  kubernetes_version     = var.kubernetes_version
  image_tag              = var.cluster_autoscaler_image_tag
  image_repository       = var.cluster_autoscaler_image_repository
  autoscaling_group_arns = var.autoscaling_group_arns
  scaling_tag_condition  = var.cluster_autoscaler_scaling_tag_condition
  role_name              = var.cluster_autoscaler_role_name
  policy_name            = var.cluster_autoscaler_policy_name
  use_name_prefix        = var.use_name_prefix
  path                   = var.iam_path
  permissions_boundary   = var.permissions_boundary
  force_detach_policies  = var.force_detach_policies
  create_helm_release    = var.enable_cluster_autoscaler
  tags                   = var.tags
}
