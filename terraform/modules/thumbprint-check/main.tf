# Runs oidc-thumbprint on every plan and warns, without failing, when the
# issuer's live top certificate is not among the pinned thumbprints or
# expires soon. A check block turns every failure inside it, the program's
# own included, into a warning: a plan never fails because of this check.
check "pinned_thumbprints" {
  data "external" "live" {
    program = var.oidc_thumbprint_program
    query = {
      url       = var.issuer_url
      discovery = tostring(var.thumbprint_discovery)
      timeout   = tostring(var.thumbprint_timeout)
      ca_file   = var.ca_file
    }
  }

  # lookup, not indexing: an answer without a key must still end as a
  # warning, never as an error that stops the plan. Every thumbprint found
  # (each edge's and chain's top, in "thumbprints"; "thumbprint" from an
  # older program) must be pinned: IAM may meet any of them. The data source
  # is scoped to this block, so the list is spelled out here.
  assert {
    condition     = alltrue([for t in split(",", lookup(data.external.live.result, "thumbprints", lookup(data.external.live.result, "thumbprint", ""))) : contains(var.thumbprints, t)])
    error_message = "The issuer's live top certificates (${lookup(data.external.live.result, "thumbprints", lookup(data.external.live.result, "thumbprint", "?"))}; the first ${lookup(data.external.live.result, "subject", "?")}) are not all among the pinned thumbprints ${join(", ", var.thumbprints)}. Add the missing ones to thumbprints before the old CA stops being served, or IAM may refuse the cluster's tokens."
  }

  assert {
    condition     = try(timecmp(data.external.live.result.not_after, timeadd(plantimestamp(), "${var.thumbprint_expiry_warning_days * 24}h")) > 0, false)
    error_message = "The issuer's top certificate (${lookup(data.external.live.result, "subject", "?")}) expires on ${lookup(data.external.live.result, "not_after", "an unknown date")}, within ${var.thumbprint_expiry_warning_days} days: its successor's thumbprint will be needed."
  }
}

