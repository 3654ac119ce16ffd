# After: this module, with the moved blocks of docs/MIGRATION.md; the
# cluster's module stays, with enable_irsa = false.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81"
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.0, < 4.0"
    }
  }
}

variable "aws_endpoint" {
  description = "URL of the moto server."
  type        = string
}

variable "policy_name" {
  description = "The upstream policy's full name (terraform state show), kept."
  type        = string
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  endpoints {
    iam = var.aws_endpoint
    sts = var.aws_endpoint
  }
}

provider "helm" {
  kubernetes = {
    host = "https://kubernetes.invalid"
  }
}

module "eks" {
  source = "../stand-ins/terraform-aws-eks"

  cluster_name = "migrate"
  enable_irsa  = false
  issuer_url   = "https://oidc.eks.us-east-1.amazonaws.com/id/MIGRATETEST"
  thumbprints  = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

module "eks_irsa" {
  source = "../../.."

  cluster_name = "migrate"
  region       = "us-east-1"
  issuer_url   = "https://oidc.eks.us-east-1.amazonaws.com/id/MIGRATETEST"
  thumbprints  = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
  # Keep upstream's names, description and tag key: nothing is replaced.
  use_name_prefix                       = false
  cluster_autoscaler_role_name          = "cluster-autoscaler"
  cluster_autoscaler_policy_name        = var.policy_name
  cluster_autoscaler_policy_description = "Cluster autoscaler policy to allow examination and modification of EC2 Auto Scaling Groups"
  cluster_autoscaler_scaling_tag_key    = "kubernetes.io/cluster/migrate"
  force_detach_policies                 = true
  enable_cluster_autoscaler             = false
}

moved {
  from = module.eks.aws_iam_openid_connect_provider.oidc_provider[0]
  to   = module.eks_irsa.module.oidc_provider[0].aws_iam_openid_connect_provider.this
}

moved {
  from = module.cluster_autoscaler_irsa_role.aws_iam_role.this[0]
  to   = module.eks_irsa.module.cluster_autoscaler_role[0].aws_iam_role.this
}

moved {
  from = module.cluster_autoscaler_irsa_role.aws_iam_policy.cluster_autoscaler[0]
  to   = module.eks_irsa.module.cluster_autoscaler[0].aws_iam_policy.cluster_autoscaler
}

moved {
  from = module.cluster_autoscaler_irsa_role.aws_iam_role_policy_attachment.cluster_autoscaler[0]
  to   = module.eks_irsa.module.cluster_autoscaler_role[0].aws_iam_role_policy_attachment.this["cluster_autoscaler"]
}
