module "oidc_provider" {
  source = "./modules/oidc-provider"
  count  = var.create_oidc_provider ? 1 : 0

  issuer_url             = var.issuer_url
  program                = var.oidc_thumbprint_program
  thumbprints            = var.thumbprints
  additional_thumbprints = var.additional_thumbprints
  timeout                = var.thumbprint_timeout
  ca_file                = var.ca_file
  tags                   = var.tags
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
  issuer_host_path = trimsuffix(trimprefix(var.issuer_url, "https://"), "/")
}

module "cluster_autoscaler" {
  source = "./modules/cluster-autoscaler"
  count  = var.create_cluster_autoscaler_role ? 1 : 0

  cluster_name           = var.cluster_name
  region                 = var.region
  oidc_provider_arn      = local.oidc_provider_arn
  issuer_url             = var.issuer_url
  namespace              = var.cluster_autoscaler_namespace
  service_account        = var.cluster_autoscaler_service_account
  chart_version          = var.cluster_autoscaler_chart_version
  autoscaling_group_arns = var.autoscaling_group_arns
  create_helm_release    = var.enable_cluster_autoscaler
  tags                   = var.tags
}
