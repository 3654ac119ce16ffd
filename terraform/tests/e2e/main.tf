# End-to-end harness for scripts/test-terraform.sh: the root module applied
# against a local moto server, with the real oidc-thumbprint fetching the
# chain of a local openssl s_server. Test stand-ins only; never for users.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81"
    }
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3.2"
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.0, < 4.0"
    }
  }
}

variable "aws_endpoint" {
  description = "URL of the moto server, e.g. http://127.0.0.1:5000."
  type        = string
}

variable "issuer_url" {
  description = "Issuer URL served by the test's openssl s_server."
  type        = string
}

variable "ca_file" {
  description = "Root of the test PKI."
  type        = string
}

variable "create_oidc_provider" {
  description = "false for the existing-provider case: the provider was made out of band."
  type        = bool
  default     = true
}

variable "thumbprint_mode" {
  description = "fetch, pinned or iam."
  type        = string
  default     = "fetch"
}

variable "program" {
  description = "The freshly built oidc-thumbprint."
  type        = list(string)
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

  cluster_name            = "e2e"
  region                  = "us-east-1"
  issuer_url              = var.issuer_url
  ca_file                 = var.ca_file
  oidc_thumbprint_program = var.program
  thumbprint_timeout      = 5
  create_oidc_provider    = var.create_oidc_provider
  thumbprint_mode         = var.thumbprint_mode
}

output "oidc_provider_arn" {
  value = module.eks_irsa.oidc_provider_arn
}

output "cluster_autoscaler_role_arn" {
  value = module.eks_irsa.cluster_autoscaler_role_arn
}

output "cluster_autoscaler_policy_arn" {
  value = module.eks_irsa.cluster_autoscaler_policy_arn
}

output "thumbprint" {
  value = module.eks_irsa.thumbprint
}
