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
      version = ">= 2.9, < 4.0"
    }
  }
}
