# Test harness for scripts/test-terraform.sh: the root module applied
# against moto, on a cluster whose IAM OIDC provider exists already, with
# the default create_oidc_provider. The apply must fail on the provider
# (409 EntityAlreadyExists) before anything else is created. Test
# stand-ins only; never for users.

terraform {
  required_version = ">= 1.5"

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

variable "issuer_url" {
  description = "An issuer URL whose provider exists in moto already."
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

module "eks_irsa" {
  source = "../.."

  cluster_name = "conflict"
  region       = "us-east-1"
  issuer_url   = var.issuer_url
  thumbprints  = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}
