# Plan-mode tests of the provider wiring. The end-to-end test in
# scripts/test-terraform.sh runs the real oidc-thumbprint; here a shell
# command stands in for it so the wiring is checked on its own.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variables {
  issuer_url = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  # Reads the query like the real program, answers with two thumbprints.
  oidc_thumbprint_program = ["sh", "-c", "cat >/dev/null; printf '%s' '{\"thumbprint\":\"9e99a48a9960b14926bb7f3b02e22da2b0ab7280\",\"thumbprints\":\"9e99a48a9960b14926bb7f3b02e22da2b0ab7280,06b25927c42a721631c1efd9431e648fa62e1e39\"}'"]
}

run "fetched_thumbprints_then_additional_ones" {
  command = plan

  variables {
    additional_thumbprints = ["0123456789abcdef0123456789abcdef01234567"]
  }

  assert {
    condition     = aws_iam_openid_connect_provider.this.thumbprint_list == tolist(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280", "06b25927c42a721631c1efd9431e648fa62e1e39", "0123456789abcdef0123456789abcdef01234567"])
    error_message = "thumbprint_list must be the fetched thumbprints (JWKS host first) then the additional ones"
  }

  assert {
    condition     = aws_iam_openid_connect_provider.this.client_id_list == toset(["sts.amazonaws.com"])
    error_message = "IRSA needs client_id_list = [\"sts.amazonaws.com\"]"
  }

  assert {
    condition     = output.issuer_host_path == "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    error_message = "issuer_host_path must drop https://"
  }

  assert {
    condition     = output.thumbprint == "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
    error_message = "thumbprint output must be the JWKS host's"
  }
}

run "given_thumbprints_skip_the_program" {
  command = plan

  variables {
    oidc_thumbprint_program = ["false"]
    thumbprints             = ["06b25927c42a721631c1efd9431e648fa62e1e39"]
  }

  assert {
    condition     = length(data.external.thumbprint) == 0
    error_message = "the program must not run when thumbprints are given"
  }

  assert {
    condition     = aws_iam_openid_connect_provider.this.thumbprint_list == tolist(["06b25927c42a721631c1efd9431e648fa62e1e39"])
    error_message = "given thumbprints must be listed as they are"
  }
}

run "query_carries_discovery_and_timeout" {
  command = plan

  variables {
    thumbprint_discovery = false
    thumbprint_timeout   = 3
  }

  assert {
    condition     = data.external.thumbprint[0].query["url"] == var.issuer_url && data.external.thumbprint[0].query["discovery"] == "false" && data.external.thumbprint[0].query["timeout"] == "3"
    error_message = "the query must pass url, discovery and timeout as strings"
  }
}

run "program_answer_that_is_not_a_thumbprint_is_refused" {
  command = plan

  variables {
    oidc_thumbprint_program = ["sh", "-c", "cat >/dev/null; printf '%s' '{\"thumbprint\":\"9E:99\",\"thumbprints\":\"9E:99\"}'"]
  }

  expect_failures = [aws_iam_openid_connect_provider.this]
}

run "rejects_bad_inputs" {
  command = plan

  variables {
    issuer_url             = "http://oidc.eks.us-east-1.amazonaws.com/id/X"
    thumbprints            = ["9E99A48A9960B14926BB7F3B02E22DA2B0AB7280"]
    additional_thumbprints = ["9e:99:a4"]
    thumbprint_timeout     = 0
  }

  expect_failures = [var.issuer_url, var.thumbprints, var.additional_thumbprints, var.thumbprint_timeout]
}

run "a_program_path_with_no_file_says_how_to_install" {
  command = plan

  variables {
    oidc_thumbprint_program = ["./bin/no-oidc-thumbprint-here"]
  }

  expect_failures = [data.external.thumbprint]
}

# Issue 11: thumbprint modes.
run "pinned_lists_what_is_given_and_checks_the_live_one" {
  command = plan

  variables {
    thumbprint_mode = "pinned"
    thumbprints     = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
    # The provider's data source must not run it (the root module's
    # thumbprint-check does, in its own call).
    oidc_thumbprint_program = ["false"]
  }

  assert {
    condition     = length(data.external.thumbprint) == 0 && aws_iam_openid_connect_provider.this.thumbprint_list == tolist(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    error_message = "pinned lists the given thumbprints without running the program for the provider"
  }

  assert {
    condition     = output.thumbprint_mode == "pinned"
    error_message = "the mode in effect is pinned"
  }
}

run "pinned_needs_thumbprints" {
  command = plan

  variables {
    thumbprint_mode = "pinned"
  }

  expect_failures = [aws_iam_openid_connect_provider.this]
}

run "iam_leaves_the_list_to_iam" {
  command = plan

  variables {
    thumbprint_mode         = "iam"
    oidc_thumbprint_program = ["./bin/not-needed-in-iam-mode"]
  }

  assert {
    condition     = length(data.external.thumbprint) == 0 && output.thumbprint == null && output.thumbprint_mode == "iam"
    error_message = "iam mode runs no program and lists no thumbprint"
  }
}

# Issue 18.3: the root module normalises the URL; given here, it must be in
# the form IAM keys it by.
run "a_url_with_a_trailing_slash_or_upper_case_is_refused" {
  command = plan

  variables {
    issuer_url = "https://OIDC.eks.us-east-1.amazonaws.com/id/X/"
  }

  expect_failures = [var.issuer_url]
}
