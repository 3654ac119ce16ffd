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
    oidcthumbprint = {
      source  = "oidc-thumbprint/oidcthumbprint"
      version = "~> 0.2"
    }
  }
}
