provider "aws" {
  region = var.region
}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

data "aws_partition" "current" {}

# The cluster's provider exists already (made by the root module, eksctl or
# the console): found by its issuer URL.
data "aws_iam_openid_connect_provider" "this" {
  url = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
}

# external-dns may change records in the given hosted zones only.
data "aws_iam_policy_document" "external_dns" {
  statement {
    sid       = "ChangeRecords"
    actions   = ["route53:ChangeResourceRecordSets"]
    resources = [for zone in var.hosted_zone_ids : "arn:${data.aws_partition.current.partition}:route53:::hostedzone/${zone}"]
  }

  statement {
    sid = "ListZonesAndRecords"
    actions = [
      "route53:ListHostedZones",
      "route53:ListResourceRecordSets",
      "route53:ListTagsForResource",
    ]
    # Listing has no resource-level permissions.
    resources = ["*"]
  }
}

resource "aws_iam_policy" "external_dns" {
  name_prefix = "${var.cluster_name}-external-dns-"
  policy      = data.aws_iam_policy_document.external_dns.json
  tags        = var.tags
}

locals {
  # One IRSA role per controller: its service account and its policies.
  controllers = {
    external-dns = {
      service_account = { namespace = "external-dns", name = "external-dns" }
      policy_arns     = { external_dns = aws_iam_policy.external_dns.arn }
    }
    ebs-csi = {
      service_account = { namespace = "kube-system", name = "ebs-csi-controller-sa" }
      # AWS's own managed policy for the EBS CSI driver.
      policy_arns = { ebs_csi = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" }
    }
  }
}

module "controller_role" {
  # From outside this repository, pin a release:
  # source = "github.com/oidc-thumbprint/oidc-thumbprint//terraform/modules/irsa-role?ref=v0.2.0"
  source   = "../../terraform/modules/irsa-role"
  for_each = local.controllers

  name              = "${var.cluster_name}-${each.key}"
  use_name_prefix   = true
  oidc_provider_arn = data.aws_iam_openid_connect_provider.this.arn
  audiences         = data.aws_iam_openid_connect_provider.this.client_id_list
  service_accounts  = [each.value.service_account]
  policy_arns       = each.value.policy_arns
  tags              = var.tags
}
