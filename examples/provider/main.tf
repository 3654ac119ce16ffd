# The native provider instead of data "external": `terraform init` installs
# it, with checksums in the lock file, on every machine that plans. Nothing
# else needs installing.
provider "aws" {
  region = var.region
}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

# Verified TLS, OIDC discovery, every edge of the JWKS host: the thumbprints
# IAM should list, JWKS host first.
data "oidcthumbprint_issuer" "cluster" {
  url = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
}

# Either: this project's module, given the thumbprints, so it runs no
# external program...
module "eks_irsa" {
  # From outside this repository, pin a release:
  # source = "github.com/oidc-thumbprint/oidc-thumbprint//terraform?ref=v0.2.0"
  source = "../../terraform"
  count  = var.wiring == "module" ? 1 : 0

  cluster_name       = var.cluster_name
  issuer_url         = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
  region             = var.region
  kubernetes_version = data.aws_eks_cluster.this.version
  thumbprints        = data.oidcthumbprint_issuer.cluster.thumbprints
  tags               = var.tags
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

# ...or the IAM OIDC provider alone.
resource "aws_iam_openid_connect_provider" "this" {
  count = var.wiring == "resource" ? 1 : 0

  url             = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = data.oidcthumbprint_issuer.cluster.thumbprints
  tags            = var.tags
}
