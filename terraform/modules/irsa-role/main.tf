locals {
  issuer_host_path = trimsuffix(trimprefix(var.issuer_url, "https://"), "/")
}

# One statement per service account, each requiring both the subject and the
# audience: without the :aud condition any token from the issuer with the
# right subject would do (IAM's recommendation for IRSA).
data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = var.service_accounts

    content {
      sid     = "IRSA${statement.key}"
      effect  = "Allow"
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = [var.oidc_provider_arn]
      }

      condition {
        test     = "StringEquals"
        variable = "${local.issuer_host_path}:sub"
        values   = ["system:serviceaccount:${statement.value.namespace}:${statement.value.name}"]
      }

      condition {
        test     = "StringEquals"
        variable = "${local.issuer_host_path}:aud"
        values   = ["sts.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  path                 = var.path
  description          = var.description
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = var.permissions_boundary
  max_session_duration = var.max_session_duration
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = var.policy_arns

  role       = aws_iam_role.this.name
  policy_arn = each.value
}
