# Before: what a terraform-aws-modules user has (test stand-ins).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81"
    }
  }
}

variable "aws_endpoint" {
  description = "URL of the moto server."
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

module "eks" {
  source = "../stand-ins/terraform-aws-eks"

  cluster_name = "migrate"
  issuer_url   = "https://oidc.eks.us-east-1.amazonaws.com/id/MIGRATETEST"
  thumbprints  = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

module "cluster_autoscaler_irsa_role" {
  source = "../stand-ins/iam-role-for-service-accounts-eks"

  role_name         = "cluster-autoscaler"
  cluster_name      = "migrate"
  oidc_provider_arn = module.eks.oidc_provider_arn
}

output "policy_name" {
  value = module.cluster_autoscaler_irsa_role.policy_name
}
