# End-to-end harness for scripts/test-terraform.sh: the native provider and
# data "external" with the CLI read the same loopback issuer, and the root
# module is applied against moto with the provider's thumbprints. Test
# stand-ins only; never for users.

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
    oidcthumbprint = {
      source = "oidc-thumbprint/oidcthumbprint"
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

data "external" "cli" {
  program = var.program
  query = {
    url     = var.issuer_url
    ca_file = var.ca_file
  }
}

data "oidcthumbprint_issuer" "provider" {
  url     = var.issuer_url
  ca_file = var.ca_file
}

module "eks_irsa" {
  source = "../.."

  cluster_name = "e2e-provider"
  region       = "us-east-1"
  issuer_url   = var.issuer_url
  thumbprints  = data.oidcthumbprint_issuer.provider.thumbprints
  # The pinned check would run the program: with the provider's thumbprints
  # no machine that plans needs it.
  oidc_thumbprint_program = ["/nonexistent/oidc-thumbprint"]
}

output "external_thumbprints" {
  value = split(",", data.external.cli.result.thumbprints)
}

output "provider_thumbprints" {
  value = data.oidcthumbprint_issuer.provider.thumbprints
}

output "external_thumbprint" {
  value = data.external.cli.result.thumbprint
}

output "provider_thumbprint" {
  value = data.oidcthumbprint_issuer.provider.thumbprint
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
