# Plan-mode tests of the pinned-thumbprint check: it warns, never fails,
# whether the live certificate differs, expires soon, or the program fails.

variables {
  issuer_url  = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
  thumbprints = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

run "the_pinned_one_is_live_and_far_from_expiry" {
  command = plan

  variables {
    oidc_thumbprint_program = ["sh", "-c", "cat >/dev/null; printf '%s' '{\"thumbprint\":\"9e99a48a9960b14926bb7f3b02e22da2b0ab7280\",\"subject\":\"CN=Starfield\",\"not_after\":\"2099-01-01T00:00:00Z\"}'"]
  }

  assert {
    condition     = output.checked_thumbprints == tolist(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    error_message = "the check compares with the pinned thumbprints"
  }
}

run "a_new_live_certificate_is_a_warning" {
  command = plan

  variables {
    oidc_thumbprint_program = ["sh", "-c", "cat >/dev/null; printf '%s' '{\"thumbprint\":\"0123456789abcdef0123456789abcdef01234567\",\"subject\":\"CN=New CA\",\"not_after\":\"2099-01-01T00:00:00Z\"}'"]
  }

  expect_failures = [check.pinned_thumbprints]
}

# Issue 17: two edges, one of them with a top that is not pinned. Checking
# only "thumbprint" (the first) missed it.
run "an_unpinned_top_of_a_second_edge_is_a_warning" {
  command = plan

  variables {
    oidc_thumbprint_program = ["sh", "-c", "cat >/dev/null; printf '%s' '{\"thumbprint\":\"0123456789abcdef0123456789abcdef01234567\",\"thumbprints\":\"0123456789abcdef0123456789abcdef01234567,9e99a48a9960b14926bb7f3b02e22da2b0ab7280\",\"subject\":\"CN=Edge CA\",\"not_after\":\"2099-01-01T00:00:00Z\"}'"]
    thumbprints             = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
  }

  expect_failures = [check.pinned_thumbprints]
}

run "every_top_pinned_passes" {
  command = plan

  variables {
    oidc_thumbprint_program = ["sh", "-c", "cat >/dev/null; printf '%s' '{\"thumbprint\":\"0123456789abcdef0123456789abcdef01234567\",\"thumbprints\":\"0123456789abcdef0123456789abcdef01234567,9e99a48a9960b14926bb7f3b02e22da2b0ab7280\",\"subject\":\"CN=Edge CA\",\"not_after\":\"2099-01-01T00:00:00Z\"}'"]
    thumbprints             = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280", "0123456789abcdef0123456789abcdef01234567"]
  }
}

run "a_top_that_expires_soon_is_a_warning" {
  command = plan

  variables {
    oidc_thumbprint_program = ["sh", "-c", "cat >/dev/null; printf '%s' '{\"thumbprint\":\"9e99a48a9960b14926bb7f3b02e22da2b0ab7280\",\"subject\":\"CN=Old CA\",\"not_after\":\"2000-01-01T00:00:00Z\"}'"]
  }

  expect_failures = [check.pinned_thumbprints]
}

run "a_failing_program_is_a_warning_not_an_error" {
  command = plan

  variables {
    oidc_thumbprint_program = ["sh", "-c", "cat >/dev/null; echo 'error: cannot connect' >&2; exit 1"]
  }

  expect_failures = [check.pinned_thumbprints]
}
