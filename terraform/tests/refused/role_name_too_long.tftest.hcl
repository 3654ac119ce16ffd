# expect: cluster_autoscaler_role_name|is 40 characters|at most 37
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

run "an_explicit_role_name_that_is_too_long" {
  command = plan

  variables {
    cluster_name                 = "demo"
    region                       = "us-east-1"
    issuer_url                   = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    thumbprints                  = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
    enable_cluster_autoscaler    = false
    cluster_autoscaler_role_name = "an-explicit-role-name-of-forty-one-chars"
  }
}
