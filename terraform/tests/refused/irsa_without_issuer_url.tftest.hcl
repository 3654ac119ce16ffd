# expect: issuer_url must be an https:// URL
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

run "irsa_without_an_issuer_url" {
  command = plan

  variables {
    cluster_name              = "demo"
    region                    = "us-east-1"
    issuer_url                = null
    thumbprints               = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
    enable_cluster_autoscaler = false
  }
}
