locals {
  # Every provider the role trusts, with the service accounts it trusts. The
  # condition-key prefix comes from the provider ARN itself
  # (arn:...:oidc-provider/<host/path>), so a role can never name one
  # provider and check another's claims.
  oidc_trusts = [
    for p_index, provider in concat(
      var.oidc_provider_arn == null ? [] : [{ arn = var.oidc_provider_arn, service_accounts = var.service_accounts, audiences = var.audiences }],
      [for extra in var.additional_oidc_providers : {
        arn              = extra.arn
        service_accounts = coalesce(extra.service_accounts, var.service_accounts)
        audiences        = coalesce(extra.audiences, var.audiences)
      }],
      ) : {
      sid       = "IRSA${p_index}"
      arn       = provider.arn
      prefix    = regex(":oidc-provider/(.+)$", provider.arn)[0]
      subjects  = [for sa in provider.service_accounts : "system:serviceaccount:${sa.namespace}:${sa.name}"]
      audiences = provider.audiences
    }
  ]

  # A subject with * or ? matches only under StringLike; under StringEquals
  # it would match a service account literally named "*".
  wildcard_subjects = flatten([for trust in local.oidc_trusts : [for s in trust.subjects : s if can(regex("[*?]", s))]])
}

# One statement per provider, listing its subjects, and requiring the
# audience too: without the :aud condition any token from the issuer with
# the right subject would do (IAM's recommendation for IRSA). One statement
# per service account made five of them overrun IAM's default 2,048-character
# trust policy; one per provider stays well under it.
data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = local.oidc_trusts

    content {
      sid     = statement.value.sid
      effect  = "Allow"
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = [statement.value.arn]
      }

      condition {
        test     = var.trust_condition_test
        variable = "${statement.value.prefix}:sub"
        values   = statement.value.subjects
      }

      condition {
        test     = "StringEquals"
        variable = "${statement.value.prefix}:aud"
        values   = statement.value.audiences
      }
    }
  }

  # EKS Pod Identity: the EKS Auth service assumes the role for the pod and
  # tags the session (eks-cluster-name, kubernetes-namespace, ...), so it
  # needs sts:TagSession as well. Which pods get it is the association's job.
  dynamic "statement" {
    for_each = var.trust_pod_identity ? [1] : []

    content {
      sid     = "PodIdentity"
      effect  = "Allow"
      actions = ["sts:AssumeRole", "sts:TagSession"]

      principals {
        type        = "Service"
        identifiers = ["pods.eks.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  # IAM role names are account-wide: a prefix gets a unique suffix, so two
  # clusters of one name in two regions do not collide.
  name                  = var.use_name_prefix ? null : var.name
  name_prefix           = var.use_name_prefix ? "${var.name}-" : null
  force_detach_policies = var.force_detach_policies
  path                  = var.iam_path
  description           = var.description
  assume_role_policy    = data.aws_iam_policy_document.trust.json
  permissions_boundary  = var.permissions_boundary
  max_session_duration  = var.max_session_duration
  tags                  = var.tags

  lifecycle {
    precondition {
      condition     = length(local.oidc_trusts) > 0 || var.trust_pod_identity
      error_message = "The role would trust nobody: give oidc_provider_arn (or additional_oidc_providers), or set trust_pod_identity."
    }
    precondition {
      condition     = var.trust_condition_test == "StringLike" || length(local.wildcard_subjects) == 0
      error_message = "A service account with * or ? (${join(", ", local.wildcard_subjects)}) matches only with trust_condition_test = \"StringLike\"; under StringEquals it would name a service account literally."
    }
    precondition {
      # IAM allows 38 characters in a name prefix; the module adds "-".
      condition     = !var.use_name_prefix || length(var.name) <= 37
      error_message = "The role name \"${var.name}\" (cluster_autoscaler_role_name in the root module, name here) is ${length(var.name)} characters; with use_name_prefix IAM allows at most 37 (its name_prefix limit is 38, with the \"-\" added). Give a shorter one, or leave cluster_autoscaler_role_name null for a name that fits."
    }
  }
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = var.policy_arns

  role       = aws_iam_role.this.name
  policy_arn = each.value
}
