locals {
  # IAM's limits: a policy name is at most 128 characters, a name_prefix at
  # most 102 (IAM adds 26), of which the module's "-" takes one. A default
  # name that does not fit is cut and given a short hash of the whole, so it
  # stays readable, stable across plans, and distinct per cluster.
  policy_name_limit   = var.use_name_prefix ? 101 : 128
  default_policy_name = "${var.cluster_name}-cluster-autoscaler"
  policy_name = coalesce(var.cluster_autoscaler_policy_name, length(local.default_policy_name) <= local.policy_name_limit
    ? local.default_policy_name
  : "${substr(local.default_policy_name, 0, local.policy_name_limit - 9)}-${substr(sha1(local.default_policy_name), 0, 8)}")

  # The Autoscaler release that matches each Kubernetes minor version, as
  # upstream recommends (the chart ships one release whatever the cluster
  # runs). Sources: kops' defaults for 1.32 to 1.35, chart 9.43.2's
  # appVersion for 1.31. A version missing here keeps the chart's own image
  # unless cluster_autoscaler_image_tag is set (the root module warns).
  image_tags = {
    "1.31" = "v1.31.0"
    "1.32" = "v1.32.7"
    "1.33" = "v1.33.5"
    "1.34" = "v1.34.4"
    "1.35" = "v1.35.1"
  }
  kubernetes_minor = var.kubernetes_version == null ? null : regex("^v?([0-9]+\\.[0-9]+)", var.kubernetes_version)[0]
  image_tag        = var.cluster_autoscaler_image_tag != null ? var.cluster_autoscaler_image_tag : try(local.image_tags[local.kubernetes_minor], null)
  # Only what was asked for: without either, the chart's own image stays.
  image = merge(
    local.image_tag == null ? {} : { tag = local.image_tag },
    var.cluster_autoscaler_image_repository == null ? {} : { repository = var.cluster_autoscaler_image_repository },
  )
  irsa                     = contains(["irsa", "both"], var.cluster_autoscaler_identity)
  pod_identity             = contains(["pod_identity", "both"], var.cluster_autoscaler_identity)
  wildcard_service_account = can(regex("[*?]", "${var.cluster_autoscaler_namespace}/${var.cluster_autoscaler_service_account}"))
}

resource "aws_iam_policy" "cluster_autoscaler" {
  name        = var.use_name_prefix ? null : local.policy_name
  name_prefix = var.use_name_prefix ? "${local.policy_name}-" : null
  path        = var.iam_path
  description = coalesce(var.cluster_autoscaler_policy_description, "Cluster Autoscaler for EKS cluster ${var.cluster_name}")
  policy      = data.aws_iam_policy_document.cluster_autoscaler.json
  tags        = var.tags

  # After what wait_for names (the root module's IAM OIDC provider): a 409
  # EntityAlreadyExists on the provider then fails the apply before this
  # module has created anything.
  depends_on = [var.wait_for]

  lifecycle {
    precondition {
      condition     = length(local.policy_name) <= local.policy_name_limit
      error_message = "cluster_autoscaler_policy_name \"${local.policy_name}\" is ${length(local.policy_name)} characters; IAM allows ${local.policy_name_limit}${var.use_name_prefix ? " with use_name_prefix (its name_prefix limit is 102, with the \"-\" added)" : ""}. Give a shorter one, or leave it null for a name that fits."
    }
  }
}

# EKS Pod Identity gives the role to the service account through the EKS
# API, not an annotation.
resource "aws_eks_pod_identity_association" "cluster_autoscaler" {
  count = local.pod_identity ? 1 : 0

  cluster_name    = var.cluster_name
  namespace       = var.cluster_autoscaler_namespace
  service_account = var.cluster_autoscaler_service_account
  role_arn        = var.role_arn
  tags            = var.tags

  lifecycle {
    precondition {
      condition     = var.role_arn != null
      error_message = "cluster_autoscaler_identity = \"${var.cluster_autoscaler_identity}\" needs role_arn: the role the association gives the pod (the irsa-role module's arn, with trust_pod_identity = true)."
    }
  }
}

resource "helm_release" "cluster_autoscaler" {
  count = var.enable_cluster_autoscaler ? 1 : 0

  # role_arn comes from the irsa-role module's arn output, which waits for
  # the role's policy attachments: the role ARN alone would let the release
  # start before the policy is attached, and the Autoscaler's first calls
  # would be AccessDenied. With Pod Identity, pods admitted before the
  # association exists get no credentials until they are re-created.
  depends_on = [var.role_arn, aws_eks_pod_identity_association.cluster_autoscaler]

  name       = var.cluster_autoscaler_release_name
  chart      = "cluster-autoscaler"
  repository = var.cluster_autoscaler_chart_repository
  version    = var.cluster_autoscaler_chart_version
  namespace  = var.cluster_autoscaler_namespace
  wait       = var.cluster_autoscaler_helm_wait
  atomic     = var.cluster_autoscaler_helm_atomic
  timeout    = var.cluster_autoscaler_helm_timeout

  # yamlencode keeps "eks.amazonaws.com/role-arn" a single key; with `set`
  # its dots would have to be escaped (see README).
  values = concat([yamlencode(merge(
    {
      autoDiscovery = { clusterName = var.cluster_name }
      awsRegion     = var.region
      rbac = {
        serviceAccount = {
          create = true
          name   = var.cluster_autoscaler_service_account
          # IRSA reads the annotation; Pod Identity needs none.
          annotations = local.irsa ? { "eks.amazonaws.com/role-arn" = var.role_arn } : {}
        }
      }
    },
    length(local.image) == 0 ? {} : { image = local.image },
  ))], var.cluster_autoscaler_helm_values)

  lifecycle {
    precondition {
      condition     = var.role_arn != null
      error_message = "The cluster-autoscaler release needs role_arn (the irsa-role module's arn): without a role the Autoscaler can scale nothing. Set enable_cluster_autoscaler = false to create the policy alone."
    }
    precondition {
      condition     = !local.wildcard_service_account
      error_message = "The release creates the service account ${var.cluster_autoscaler_namespace}/${var.cluster_autoscaler_service_account}, and a name with * or ? is a trust pattern, not a name: set enable_cluster_autoscaler = false and install the chart with a service account the pattern matches."
    }
  }
}
