locals {
  # Every (provider, service account) pair the role trusts. The condition-key
  # prefix comes from the provider ARN itself (arn:...:oidc-provider/<host/path>),
  # so a role can never name one provider and check another's claims.
  oidc_trusts = flatten([
    for p_index, provider in concat(
      var.oidc_provider_arn == null ? [] : [{ arn = var.oidc_provider_arn, service_accounts = var.service_accounts, audiences = var.audiences }],
      [for extra in var.additional_oidc_providers : {
        arn              = extra.arn
        service_accounts = coalesce(extra.service_accounts, var.service_accounts)
        audiences        = coalesce(extra.audiences, var.audiences)
      }],
      ) : [
      for s_index, sa in provider.service_accounts : {
        sid       = "IRSA${p_index}x${s_index}"
        arn       = provider.arn
        prefix    = regex(":oidc-provider/(.+)$", provider.arn)[0]
        subject   = "system:serviceaccount:${sa.namespace}:${sa.name}"
        audiences = provider.audiences
      }
    ]
  ])
}

# One statement per provider and service account, each requiring both the
# subject and the audience: without the :aud condition any token from the
# issuer with the right subject would do (IAM's recommendation for IRSA).
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
        test     = "StringEquals"
        variable = "${statement.value.prefix}:sub"
        values   = [statement.value.subject]
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
  path                  = var.path
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
      # IAM allows 38 characters in a name prefix; the module adds "-".
      condition     = !var.use_name_prefix || length(var.name) <= 37
      error_message = "With use_name_prefix the role name must be at most 37 characters (IAM's name_prefix limit is 38, with the \"-\" added)."
    }
  }
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = var.policy_arns

  role       = aws_iam_role.this.name
  policy_arn = each.value
}
