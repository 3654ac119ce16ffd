terraform {
  # check blocks with scoped data sources came in Terraform 1.5.
  required_version = ">= 1.5"

  required_providers {
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3.2"
    }
  }
}
