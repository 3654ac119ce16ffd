provider "aws" {
  region = var.region
}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

provider "helm" {
  kubernetes = {
    host                   = data.aws_eks_cluster.this.endpoint
    cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", var.cluster_name, "--region", var.region]
    }
  }
}

module "eks_irsa" {
  # From outside this repository, pin a release:
  # source = "github.com/oidc-thumbprint/oidc-thumbprint//terraform?ref=v0.2.0"
  source = "../../terraform"

  cluster_name       = var.cluster_name
  issuer_url         = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
  region             = var.region
  kubernetes_version = data.aws_eks_cluster.this.version
  tags               = var.tags
}
