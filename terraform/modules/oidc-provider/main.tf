locals {
  # Thumbprints given with the default mode keep the meaning they always had:
  # listed as given, the program not run.
  mode             = var.thumbprint_mode == "fetch" && var.thumbprints != null ? "pinned" : var.thumbprint_mode
  fetch_thumbprint = local.mode == "fetch"
  # A program given as a path (it holds / or \) is a file that must be
  # there; a bare name is looked up on PATH by the external provider.
  program_is_path = length(regexall("[/\\\\]", var.oidc_thumbprint_program[0])) > 0
  # IAM identifies the provider by host and path: the condition keys of a
  # trust policy are "<host/path>:sub" and "<host/path>:aud", without https://.
  issuer_host_path = trimsuffix(trimprefix(var.issuer_url, "https://"), "/")
}

data "external" "thumbprint" {
  count = local.fetch_thumbprint ? 1 : 0

  program = var.oidc_thumbprint_program
  query = {
    url       = var.issuer_url
    discovery = tostring(var.thumbprint_discovery)
    timeout   = tostring(var.thumbprint_timeout)
    ca_file   = var.ca_file
  }

  lifecycle {
    # Without this, a missing binary gives the external provider's generic
    # "External Program Lookup Failed", which does not say what to install.
    precondition {
      condition     = !local.program_is_path || try(fileexists(var.oidc_thumbprint_program[0]), false)
      error_message = "oidc-thumbprint is not at \"${var.oidc_thumbprint_program[0]}\" (oidc_thumbprint_program). Point it at the binary, for example [\"$${path.root}/bin/oidc-thumbprint\"] for one vendored into the configuration, or install it: install.sh, cargo binstall oidc-thumbprint, or cargo install --locked oidc-thumbprint (README: Getting the binary where Terraform runs)."
    }
  }
}

locals {
  # "thumbprints" lists the JWKS host's thumbprint first, then the issuer
  # host's when the two differ (AWS's guidance for split discovery).
  fetched_thumbprints = local.fetch_thumbprint ? split(",", data.external.thumbprint[0].result.thumbprints) : []
  thumbprint_list     = local.mode == "iam" ? [] : distinct(concat(local.fetch_thumbprint ? local.fetched_thumbprints : coalesce(var.thumbprints, []), var.additional_thumbprints))
}

resource "aws_iam_openid_connect_provider" "this" {
  url            = var.issuer_url
  client_id_list = var.client_id_list
  # "iam": left out, for IAM to manage (aws provider 5.81 made it optional).
  # The provider cannot clear a list once set, so a provider that had one
  # keeps it; IAM uses it only when its own root CAs do not vouch for the
  # JWKS host.
  thumbprint_list = local.mode == "iam" ? null : local.thumbprint_list
  tags            = var.tags

  lifecycle {
    precondition {
      condition     = local.mode == "iam" || (length(local.thumbprint_list) > 0 && length(local.thumbprint_list) <= 5 && alltrue([for t in local.thumbprint_list : can(regex("^[0-9a-f]{40}$", t))]))
      error_message = "The provider needs 1 to 5 thumbprints of 40 lowercase hex digits (IAM's limit is 5)."
    }
    precondition {
      condition     = local.mode != "pinned" || var.thumbprints != null
      error_message = "thumbprint_mode = \"pinned\" lists the thumbprints you give: set thumbprints."
    }
  }
}
