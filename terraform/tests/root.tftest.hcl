# Plan-mode tests of the root module's composition.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

provider "helm" {
  kubernetes = {
    host = "https://kubernetes.invalid"
  }
}

variables {
  cluster_name = "demo"
  region       = "us-east-1"
  issuer_url   = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
  thumbprints  = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

run "everything_by_default" {
  command = plan

  assert {
    condition     = length(module.cluster_autoscaler) == 1 && output.thumbprint_list == tolist(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    error_message = "the autoscaler role and the provider are created by default"
  }
}

run "enable_cluster_autoscaler_toggles_the_helm_release" {
  command = plan

  variables {
    enable_cluster_autoscaler = false
  }

  assert {
    condition     = length(module.cluster_autoscaler) == 1 && module.cluster_autoscaler[0].helm_release_name == null
    error_message = "with enable_cluster_autoscaler = false the IAM role stays and the release goes"
  }
}

run "autoscaler_role_can_be_left_out" {
  command = plan

  variables {
    create_cluster_autoscaler_role = false
  }

  assert {
    condition     = length(module.cluster_autoscaler) == 0 && output.cluster_autoscaler_role_arn == null
    error_message = "no autoscaler resources when create_cluster_autoscaler_role is false"
  }
}
