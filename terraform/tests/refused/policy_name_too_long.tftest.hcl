# expect: cluster_autoscaler_policy_name|is 129 characters|IAM allows 128
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

run "an_explicit_policy_name_that_is_too_long" {
  command = plan

  variables {
    cluster_name                   = "demo"
    region                         = "us-east-1"
    issuer_url                     = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    thumbprints                    = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
    enable_cluster_autoscaler      = false
    use_name_prefix                = false
    cluster_autoscaler_policy_name = "ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
  }
}
