locals {
  name = "${var.cluster_name}-cluster-autoscaler"

  # The Autoscaler release that matches each Kubernetes minor version, as
  # upstream recommends (the chart ships one release whatever the cluster
  # runs). Sources: kops' defaults for 1.32 to 1.35, chart 9.43.2's
  # appVersion for 1.31. A version missing here needs image_tag.
  image_tags = {
    "1.31" = "v1.31.0"
    "1.32" = "v1.32.7"
    "1.33" = "v1.33.5"
    "1.34" = "v1.34.4"
    "1.35" = "v1.35.1"
  }
  kubernetes_minor = var.kubernetes_version == null ? null : regex("^v?([0-9]+\\.[0-9]+)", var.kubernetes_version)[0]
  image_tag        = coalesce(var.image_tag, try(local.image_tags[local.kubernetes_minor], null), "unset")
  # Only what was asked for: without either, the chart's own image stays.
  image = merge(
    local.image_tag == "unset" ? {} : { tag = local.image_tag },
    var.image_repository == null ? {} : { repository = var.image_repository },
  )
  irsa         = contains(["irsa", "both"], var.identity)
  pod_identity = contains(["pod_identity", "both"], var.identity)
}

resource "aws_iam_policy" "cluster_autoscaler" {
  name        = var.use_name_prefix ? null : coalesce(var.policy_name, local.name)
  name_prefix = var.use_name_prefix ? "${coalesce(var.policy_name, local.name)}-" : null
  path        = var.path
  description = "Cluster Autoscaler for EKS cluster ${var.cluster_name}"
  policy      = data.aws_iam_policy_document.cluster_autoscaler.json
  tags        = var.tags
}

module "irsa_role" {
  source = "../irsa-role"

  name                  = coalesce(var.role_name, local.name)
  use_name_prefix       = var.use_name_prefix
  path                  = var.path
  permissions_boundary  = var.permissions_boundary
  force_detach_policies = var.force_detach_policies
  oidc_provider_arn     = local.irsa ? var.oidc_provider_arn : null
  audiences             = var.audiences
  trust_pod_identity    = local.pod_identity
  service_accounts      = [{ namespace = var.namespace, name = var.service_account }]
  policy_arns           = { cluster_autoscaler = aws_iam_policy.cluster_autoscaler.arn }
  tags                  = var.tags
}

# EKS Pod Identity gives the role to the service account through the EKS
# API, not an annotation.
resource "aws_eks_pod_identity_association" "cluster_autoscaler" {
  count = local.pod_identity ? 1 : 0

  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = var.service_account
  role_arn        = module.irsa_role.arn
  tags            = var.tags
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
  values = concat([yamlencode(merge(
    {
      autoDiscovery = { clusterName = var.cluster_name }
      awsRegion     = var.region
      rbac = {
        serviceAccount = {
          create = true
          name   = var.service_account
          # IRSA reads the annotation; Pod Identity needs none.
          annotations = local.irsa ? { "eks.amazonaws.com/role-arn" = module.irsa_role.arn } : {}
        }
      }
    },
    length(local.image) == 0 ? {} : { image = local.image },
  ))], var.helm_values)

  lifecycle {
    precondition {
      condition     = var.kubernetes_version == null || var.image_tag != null || local.image_tag != "unset"
      error_message = "No Cluster Autoscaler release is known here for Kubernetes ${coalesce(var.kubernetes_version, "?")}: set image_tag (the Autoscaler release of that minor version, e.g. v1.30.4)."
    }
  }
}
