locals {
  name = "${var.cluster_name}-cluster-autoscaler"
}

resource "aws_iam_policy" "cluster_autoscaler" {
  name        = coalesce(var.policy_name, local.name)
  description = "Cluster Autoscaler for EKS cluster ${var.cluster_name}"
  policy      = data.aws_iam_policy_document.cluster_autoscaler.json
  tags        = var.tags
}

module "irsa_role" {
  source = "../irsa-role"

  name              = coalesce(var.role_name, local.name)
  oidc_provider_arn = var.oidc_provider_arn
  issuer_url        = var.issuer_url
  service_accounts  = [{ namespace = var.namespace, name = var.service_account }]
  policy_arns       = { cluster_autoscaler = aws_iam_policy.cluster_autoscaler.arn }
  tags              = var.tags
}

resource "helm_release" "cluster_autoscaler" {
  count = var.create_helm_release ? 1 : 0

  # The role ARN alone would let the release start before the policy is
  # attached, and the autoscaler's first calls would be AccessDenied.
  depends_on = [module.irsa_role]

  name       = var.release_name
  chart      = "cluster-autoscaler"
  repository = var.chart_repository
  version    = var.chart_version
  namespace  = var.namespace

  # yamlencode keeps "eks.amazonaws.com/role-arn" a single key; with `set`
  # its dots would have to be escaped (see README).
  values = concat([yamlencode({
    autoDiscovery = { clusterName = var.cluster_name }
    awsRegion     = var.region
    rbac = {
      serviceAccount = {
        create      = true
        name        = var.service_account
        annotations = { "eks.amazonaws.com/role-arn" = module.irsa_role.arn }
      }
    }
  })], var.helm_values)
}
