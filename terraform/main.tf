module "oidc_provider" {
  source = "./modules/oidc-provider"

  issuer_url             = var.issuer_url
  program                = var.oidc_thumbprint_program
  thumbprints            = var.thumbprints
  additional_thumbprints = var.additional_thumbprints
  timeout                = var.thumbprint_timeout
  ca_file                = var.ca_file
  tags                   = var.tags
}

module "cluster_autoscaler" {
  source = "./modules/cluster-autoscaler"
  count  = var.create_cluster_autoscaler_role ? 1 : 0

  cluster_name           = var.cluster_name
  region                 = var.region
  oidc_provider_arn      = module.oidc_provider.arn
  issuer_url             = var.issuer_url
  namespace              = var.cluster_autoscaler_namespace
  service_account        = var.cluster_autoscaler_service_account
  chart_version          = var.cluster_autoscaler_chart_version
  autoscaling_group_arns = var.autoscaling_group_arns
  create_helm_release    = var.enable_cluster_autoscaler
  tags                   = var.tags
}
