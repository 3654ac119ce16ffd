terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.34" # aws_eks_pod_identity_association
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 2.9, < 4.0"
    }
  }
}
