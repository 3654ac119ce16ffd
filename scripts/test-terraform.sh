#!/usr/bin/env bash
# Terraform tests (called by scripts/test.sh): fmt, init + validate of every
# module and example, the plan-mode `terraform test` suites, an end-to-end
# apply / re-plan / destroy against moto with the real oidc-thumbprint, and
# checkov.
#
# Providers: where ../shared/tools/tf-standins is beside the checkout (this
# project's machines and CI, which cannot reach the Terraform registry), or
# OIDC_THUMBPRINT_TF_STANDINS names such a folder, hashicorp/external and
# hashicorp/helm are its test-only stand-ins. Anywhere else a plain
# `terraform init` takes the real providers from the registry. The output
# says which was used.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
source scripts/lib.sh

need_cmd terraform "the Terraform tests (Terraform 1.11 is expected on PATH)"
need_cmd python3 "the provider stand-ins and moto"
need_cmd openssl "the end-to-end test's PKI and TLS server"
need_cmd curl "waiting for moto to start"
standins="${OIDC_THUMBPRINT_TF_STANDINS:-$root/../shared/tools/tf-standins}"
if [ -n "${OIDC_THUMBPRINT_TF_STANDINS:-}" ] && [ ! -f "$standins/install.sh" ]; then
  fail "OIDC_THUMBPRINT_TF_STANDINS names $standins, which holds no install.sh"
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ -f "$standins/install.sh" ]; then
  step "providers: the test-only stand-ins in $standins (and moto)"
  eval "$(TF_STANDINS_WITH_MOTO=1 bash "$standins/install.sh" "$root/.tf-standins")"
  python_env="$root/.tf-standins/venv"
else
  step "providers: the real hashicorp/external and hashicorp/helm from the Terraform registry (no stand-ins at $standins); moto from PyPI"
  python_env="$root/.tf-test/venv"
  if [ ! -x "$python_env/bin/moto_server" ]; then
    python3 -m venv "$python_env" || fail "python3 -m venv (Debian: python3-venv)"
    "$python_env/bin/pip" install -q "moto[server]==5.2.5" || fail "pip install moto[server]"
  fi
fi
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
# Everything here is on loopback: a proxy set in the environment must not
# capture the moto endpoint or the test issuer.
export NO_PROXY="127.0.0.1,localhost,::1" no_proxy="127.0.0.1,localhost,::1"

step "terraform fmt"
terraform fmt -check -recursive -diff . || fail "terraform fmt -check found unformatted files"

step "the native provider, packed into a filesystem mirror beside the stand-ins"
# The debug build cargo test made (the rust suite); in the Registry's zip
# layout, as users install it.
cargo build --locked --quiet -p terraform-provider-oidcthumbprint
provider_mirror "$(target_dir)/debug/terraform-provider-oidcthumbprint" "$work/provider-mirror"
# The stand-ins' CLI config (or none) with one more mirror for this provider.
cli_config_with_provider_mirror "${TF_CLI_CONFIG_FILE:-}" "$work/provider-mirror" "$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"

# Each configuration is copied first: init writes .terraform and a lock file
# naming the stand-ins, neither of which belongs in the work tree.
configs=(terraform terraform/modules/oidc-provider terraform/modules/irsa-role terraform/modules/cluster-autoscaler
  terraform/modules/thumbprint-check examples/complete examples/thumbprint-only examples/more-controllers examples/provider
  terraform/tests/e2e terraform/tests/provider terraform/tests/conflict)
copy="$work/tree"
mkdir -p "$copy"
tar -C "$root" --exclude=.terraform --exclude=.terraform.lock.hcl -cf - terraform examples | tar -C "$copy" -xf -

step "terraform init + validate"
for config in "${configs[@]}"; do
  terraform -chdir="$copy/$config" init -backend=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; fail "init of $config"; }
  terraform -chdir="$copy/$config" validate -no-color || fail "validate of $config"
done

step "every hcl snippet in the READMEs and docs: init + validate, sources pointed at this checkout"
python3 scripts/check-snippets.py "$root" "$work/snippets" || fail "a snippet in the docs does not validate"

step "terraform test (plan mode)"
for config in terraform terraform/modules/oidc-provider terraform/modules/irsa-role terraform/modules/cluster-autoscaler \
  terraform/modules/thumbprint-check; do
  terraform -chdir="$copy/$config" test -no-color || fail "terraform test in $config"
done

step "end to end: apply against moto with the real oidc-thumbprint"
cargo build --locked --quiet -p oidc-thumbprint
binary="$(target_dir)/debug/oidc-thumbprint"

bash scripts/make-test-pki.sh "$work/pki"
expected="$(cat "$work/pki/expected-root.sha1")"
# The issuer listens on 443 like a real one: the aws provider's URL diff
# suppression parses "localhost:PORT/..." as a URL scheme, so a port in the
# issuer URL would show as a perpetual diff that no EKS user ever meets.
[ "$(id -u)" -eq 0 ] || fail "the end-to-end test binds 127.0.0.1:443 and so runs as root (as CI does)"
issuer_path="id/E2ETESTCLUSTER"
mkdir -p "$work/www/$issuer_path/.well-known"
printf '{"issuer":"https://localhost/%s","jwks_uri":"https://localhost/%s/keys"}' \
  "$issuer_path" "$issuer_path" >"$work/www/$issuer_path/.well-known/openid-configuration"
# -WWW serves files from the current folder: the discovery document. The
# server presents leaf, intermediate and root; the top is the root.
(cd "$work/www" && start_s_server "$work/pki" 443 "$work/s_server.log" -WWW && echo "$s_server_pid" >"$work/s_server.pid") \
  || { cat "$work/s_server.log"; fail "openssl s_server could not listen on 127.0.0.1:443"; }
pids+=("$(cat "$work/s_server.pid")")

moto_port="$(free_port)"
"$python_env/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$moto_port/" && break; sleep 0.2; done
curl -s -o /dev/null "http://127.0.0.1:$moto_port/" || { cat "$work/moto.log"; fail "moto did not start"; }

e2e="$copy/terraform/tests/e2e"
# e2e_plan LOG ARGS...: `terraform plan` of the e2e configuration with ARGS,
# its output in LOG; prints plan's exit status (with -detailed-exitcode, 2
# means changes), which errexit would otherwise turn into the script's.
e2e_plan() {
  local log="$1" status=0
  shift
  terraform -chdir="$e2e" plan -no-color "$@" >"$log" 2>&1 || status=$?
  echo "$status"
}
issuer_url="https://localhost/$issuer_path"
vars=(-var "aws_endpoint=http://127.0.0.1:$moto_port" -var "issuer_url=$issuer_url"
  -var "ca_file=$work/pki/root.pem" -var "program=[\"$binary\"]")
terraform -chdir="$e2e" apply -auto-approve -no-color "${vars[@]}" || fail "terraform apply"
terraform -chdir="$e2e" output -json >"$work/outputs.json"
"$python_env/bin/python" "$root/terraform/tests/e2e/check_moto.py" "http://127.0.0.1:$moto_port" \
  "$expected" "localhost/$issuer_path" "$work/outputs.json" || fail "what moto holds is not what was intended"

step "idempotence: a second plan has no changes"
replan="$(e2e_plan "$work/replan.log" -detailed-exitcode "${vars[@]}")"
[ "$replan" -eq 0 ] || { cat "$work/replan.log"; fail "the second plan is not empty (exit $replan)"; }
echo "ok   second plan reports no changes"

step "a failing oidc-thumbprint stops the plan with its own message"
closed_port="$(free_port)"
failed="$(e2e_plan "$work/fail.log" "${vars[@]}" -var "issuer_url=https://127.0.0.1:$closed_port/id/X")"
[ "$failed" -ne 0 ] || fail "plan succeeded against a closed port"
grep -q "cannot connect to 127.0.0.1:$closed_port" "$work/fail.log" || { cat "$work/fail.log"; fail "Terraform did not show oidc-thumbprint's error"; }
echo "ok   plan failed with: $(grep -o "cannot connect to 127.0.0.1:${closed_port}[^│]*" "$work/fail.log" | head -1)"

step "a program path with no file behind it says what to do"
no_binary="$(e2e_plan "$work/no-binary.log" "${vars[@]}" -var "program=[\"$work/bin/oidc-thumbprint\"]")"
[ "$no_binary" -ne 0 ] || fail "plan succeeded with a program path that does not exist"
if ! grep -q "oidc-thumbprint is not at" "$work/no-binary.log" || ! grep -q "binstall" "$work/no-binary.log"; then
  cat "$work/no-binary.log"
  fail "the missing-program precondition did not explain itself"
fi
echo "ok   plan failed with: $(grep -o "oidc-thumbprint is not at[^(]*" "$work/no-binary.log" | head -1)"

# Destroy must not need the binary: with -refresh=false no data source is
# read, so a runner without oidc-thumbprint can still tear down.
terraform -chdir="$e2e" destroy -auto-approve -refresh=false -no-color "${vars[@]}" -var "program=[\"$work/no/oidc-thumbprint\"]" \
  >"$work/destroy.log" 2>&1 || { cat "$work/destroy.log"; fail "terraform destroy -refresh=false without the binary"; }
echo "ok   destroy (-refresh=false, with no oidc-thumbprint where the program points)"

step "a cluster whose OIDC provider exists already (made out of band, found by its URL)"
# Given with an upper-case scheme and host and a trailing slash, the URL is
# normalised before the lookup, so the provider is still found.
shouted_url="HTTPS://LOCALHOST/$issuer_path/"
# What eksctl or the console would have made: the module must adopt it by
# URL, create and destroy nothing provider-related, and leave it in place.
aws_env=(AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1)
existing_arn="$(env "${aws_env[@]}" "$python_env/bin/python" - "http://127.0.0.1:$moto_port" "$issuer_url" <<'PY'
import sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1])
print(iam.create_open_id_connect_provider(
    Url=sys.argv[2], ClientIDList=["sts.amazonaws.com"], ThumbprintList=["1" * 40])["OpenIDConnectProviderArn"])
PY
)" || fail "creating the out-of-band provider in moto"
terraform -chdir="$e2e" apply -auto-approve -no-color "${vars[@]}" -var create_oidc_provider=false -var "issuer_url=$shouted_url" >"$work/existing.log" 2>&1 \
  || { cat "$work/existing.log"; fail "apply against an existing provider (a 409 EntityAlreadyExists means it tried to create one)"; }
adopted="$(terraform -chdir="$e2e" output -raw oidc_provider_arn)"
[ "$adopted" = "$existing_arn" ] || fail "the module used $adopted, not the existing provider $existing_arn"
echo "ok   apply adopted the existing provider $existing_arn"
replan="$(e2e_plan "$work/existing-replan.log" -detailed-exitcode "${vars[@]}" -var create_oidc_provider=false -var "issuer_url=$shouted_url")"
[ "$replan" -eq 0 ] || { cat "$work/existing-replan.log"; fail "the second plan against an existing provider is not empty (exit $replan)"; }
echo "ok   second plan reports no changes"
terraform -chdir="$e2e" destroy -auto-approve -no-color "${vars[@]}" -var create_oidc_provider=false -var "issuer_url=$shouted_url" >"$work/existing-destroy.log" 2>&1 \
  || { cat "$work/existing-destroy.log"; fail "destroy with an existing provider"; }
env "${aws_env[@]}" "$python_env/bin/python" - "http://127.0.0.1:$moto_port" "$existing_arn" <<'PY' || fail "destroy removed the provider the module did not create"
import sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1])
iam.get_open_id_connect_provider(OpenIDConnectProviderArn=sys.argv[2])
roles = [r["RoleName"] for r in iam.list_roles()["Roles"]]
assert not any("cluster-autoscaler" in r for r in roles), f"roles left behind: {roles}"
# Gone again, as its owner would remove it, so the next case starts clean.
iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=sys.argv[2])
PY
echo "ok   destroy left the out-of-band provider in place and removed the module's roles"

step "an existing provider with the default create_oidc_provider: the 409 comes before anything is created"
conflict="$copy/terraform/tests/conflict"
conflict_url="https://oidc.example/id/CONFLICT"
env "${aws_env[@]}" "$python_env/bin/python" - "http://127.0.0.1:$moto_port" "$conflict_url" <<'PY' || fail "creating the conflicting provider in moto"
import sys, boto3
boto3.client("iam", endpoint_url=sys.argv[1]).create_open_id_connect_provider(
    Url=sys.argv[2], ClientIDList=["sts.amazonaws.com"], ThumbprintList=["1" * 40])
PY
terraform -chdir="$conflict" init -no-color >"$work/conflict.log" 2>&1 || { cat "$work/conflict.log"; fail "init of the conflict configuration"; }
if terraform -chdir="$conflict" apply -auto-approve -no-color -var "aws_endpoint=http://127.0.0.1:$moto_port" \
  -var "issuer_url=$conflict_url" >>"$work/conflict.log" 2>&1; then
  cat "$work/conflict.log"
  fail "apply created a second provider for a URL that has one"
fi
grep -q "EntityAlreadyExists" "$work/conflict.log" || { cat "$work/conflict.log"; fail "the apply failed, but not with 409 EntityAlreadyExists"; }
env "${aws_env[@]}" "$python_env/bin/python" - "http://127.0.0.1:$moto_port" <<'PY' || { cat "$work/conflict.log"; fail "the failed apply left resources behind"; }
import sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1])
roles = [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("conflict-")]
policies = [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"].startswith("conflict-")]
assert not roles and not policies, f"partial state: roles {roles}, policies {policies}"
PY
echo "ok   apply failed on the provider (409 EntityAlreadyExists) and created no role or policy"

step "thumbprint_mode = iam: the provider without thumbprints, IAM manages them"
terraform -chdir="$e2e" apply -auto-approve -no-color "${vars[@]}" -var thumbprint_mode=iam -var "program=[\"$work/no/oidc-thumbprint\"]" \
  >"$work/iam.log" 2>&1 || { cat "$work/iam.log"; fail "apply in iam mode (no program needed)"; }
replan="$(e2e_plan "$work/iam-replan.log" -detailed-exitcode "${vars[@]}" -var thumbprint_mode=iam \
  -var "program=[\"$work/no/oidc-thumbprint\"]")"
[ "$replan" -eq 0 ] || { cat "$work/iam-replan.log"; fail "the second plan in iam mode is not empty (exit $replan)"; }
terraform -chdir="$e2e" destroy -auto-approve -no-color "${vars[@]}" -var thumbprint_mode=iam -var "program=[\"$work/no/oidc-thumbprint\"]" \
  >"$work/iam-destroy.log" 2>&1 || { cat "$work/iam-destroy.log"; fail "destroy in iam mode"; }
echo "ok   iam mode: apply, an empty second plan and destroy, with no oidc-thumbprint on the runner"

step "upgrading from the 0.2.0 module (c9f3b8d): its state plans with no destroy or create"
# The module as it was before the flat layout, applied with the same e2e
# configuration; then this module plans over that state. The root moved
# block must carry the Autoscaler's role, and nothing may be re-created.
old_tree="$work/module-0.2.0"
mkdir -p "$old_tree"
git -C "$root" archive c9f3b8d terraform | tar -x -C "$old_tree" || fail "git archive of the 0.2.0 module (c9f3b8d)"
old_e2e="$old_tree/terraform/tests/e2e"
terraform -chdir="$old_e2e" init -no-color >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; fail "init of the 0.2.0 module"; }
terraform -chdir="$old_e2e" apply -auto-approve -no-color "${vars[@]}" >>"$work/upgrade.log" 2>&1 \
  || { cat "$work/upgrade.log"; fail "apply of the 0.2.0 module"; }
cp "$old_e2e/terraform.tfstate" "$e2e/terraform.tfstate"
terraform -chdir="$e2e" plan -no-color -out="$work/upgrade.plan" "${vars[@]}" >"$work/upgrade-plan.log" 2>&1 \
  || { cat "$work/upgrade-plan.log"; fail "plan of this module over the 0.2.0 state"; }
terraform -chdir="$e2e" show -json "$work/upgrade.plan" >"$work/upgrade-plan.json"
python3 - "$work/upgrade-plan.json" <<'PY' || { cat "$work/upgrade-plan.log"; fail "upgrading would destroy or create"; }
import json, sys
plan = json.load(open(sys.argv[1]))
moved = 0
for change in plan["resource_changes"]:
    actions = change["change"]["actions"]
    assert "delete" not in actions and "create" not in actions, f'{change["address"]}: {actions}'
    if change.get("previous_address"):
        moved += 1
        print(f'ok   {change["previous_address"]} -> {change["address"]}: {"/".join(actions)}')
assert moved >= 2, "the role and its attachment should have moved"
PY
terraform -chdir="$e2e" apply -auto-approve -no-color "$work/upgrade.plan" >>"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; fail "apply of the upgrade"; }
terraform -chdir="$e2e" destroy -auto-approve -no-color "${vars[@]}" >>"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; fail "destroy after the upgrade"; }
echo "ok   the 0.2.0 module's state moved into the flat layout with nothing destroyed or created"

step "the native provider gives data \"external\"'s thumbprints, and the module applies them"
provider_e2e="$copy/terraform/tests/provider"
provider_vars=(-var "aws_endpoint=http://127.0.0.1:$moto_port" -var "issuer_url=$issuer_url"
  -var "ca_file=$work/pki/root.pem" -var "program=[\"$binary\"]")
RUST_BACKTRACE=1 terraform -chdir="$provider_e2e" apply -auto-approve -no-color "${provider_vars[@]}" >"$work/provider.log" 2>&1 \
  || { cat "$work/provider.log"; fail "apply with the provider's thumbprints"; }
terraform -chdir="$provider_e2e" output -json >"$work/provider-outputs.json"
python3 - "$work/provider-outputs.json" "$expected" <<'PY' || fail "the provider and data \"external\" disagree"
import json, sys
outputs = {k: v["value"] for k, v in json.load(open(sys.argv[1])).items()}
expected = sys.argv[2]
assert outputs["provider_thumbprints"] == outputs["external_thumbprints"], outputs
assert outputs["provider_thumbprint"] == outputs["external_thumbprint"] == expected, outputs
print(f"ok   provider and data \"external\": thumbprints {outputs['provider_thumbprints']}, openssl's {expected}")
PY
"$python_env/bin/python" "$root/terraform/tests/e2e/check_moto.py" "http://127.0.0.1:$moto_port" \
  "$expected" "localhost/$issuer_path" "$work/provider-outputs.json" || fail "what moto holds is not the provider's thumbprint"
replan="$(cd "$provider_e2e" && status=0 && terraform plan -no-color -detailed-exitcode "${provider_vars[@]}" >"$work/provider-replan.log" 2>&1 || status=$?; echo "$status")"
[ "$replan" -eq 0 ] || { cat "$work/provider-replan.log"; fail "the second plan with the provider is not empty (exit $replan)"; }
terraform -chdir="$provider_e2e" destroy -auto-approve -no-color "${provider_vars[@]}" >"$work/provider-destroy.log" 2>&1 \
  || { cat "$work/provider-destroy.log"; fail "destroy with the provider"; }
echo "ok   the module applied with the provider's thumbprints, re-planned empty and destroyed"

step "a way in from terraform-aws-modules: moved blocks, nothing destroyed or replaced"
# before/ is upstream's resources (test stand-ins at upstream's addresses),
# applied against moto; after/ is this module with docs/MIGRATION.md's
# moved blocks, planned over the same state.
migration="$copy/terraform/tests/migration/run"
mkdir -p "$migration"
cp "$copy/terraform/tests/migration/before/main.tf" "$migration/"
terraform -chdir="$migration" init -no-color >"$work/migration.log" 2>&1 || { cat "$work/migration.log"; fail "init of the upstream stand-ins"; }
terraform -chdir="$migration" apply -auto-approve -no-color -var "aws_endpoint=http://127.0.0.1:$moto_port" >>"$work/migration.log" 2>&1 \
  || { cat "$work/migration.log"; fail "apply of the upstream stand-ins"; }
upstream_policy="$(terraform -chdir="$migration" output -raw policy_name)"
terraform -chdir="$migration" state list >"$work/upstream-state.txt"
cp "$copy/terraform/tests/migration/after/main.tf" "$migration/main.tf"
terraform -chdir="$migration" init -no-color >>"$work/migration.log" 2>&1 || { cat "$work/migration.log"; fail "init after the switch"; }
migration_vars=(-var "aws_endpoint=http://127.0.0.1:$moto_port" -var "policy_name=$upstream_policy")
terraform -chdir="$migration" plan -no-color -out="$work/migration.plan" "${migration_vars[@]}" >"$work/migration-plan.log" 2>&1 \
  || { cat "$work/migration-plan.log"; fail "plan after the switch"; }
terraform -chdir="$migration" show -json "$work/migration.plan" >"$work/migration-plan.json"
python3 - "$work/migration-plan.json" <<'PY' || { cat "$work/migration-plan.log"; fail "the switch would destroy or replace what it should move"; }
import json, sys
plan = json.load(open(sys.argv[1]))
changes = {c["address"]: c for c in plan["resource_changes"]}
for address, change in sorted(changes.items()):
    actions = change["change"]["actions"]
    moved = change.get("previous_address")
    assert "delete" not in actions and "create" not in actions, f"{address}: {actions}"
    if moved:
        print(f"ok   {moved} -> {address}: {'/'.join(actions)}")
need = {
    "module.eks_irsa.module.oidc_provider[0].aws_iam_openid_connect_provider.this",
    "module.eks_irsa.module.cluster_autoscaler_role[0].aws_iam_role.this",
    "module.eks_irsa.module.cluster_autoscaler[0].aws_iam_policy.cluster_autoscaler",
    'module.eks_irsa.module.cluster_autoscaler_role[0].aws_iam_role_policy_attachment.this["cluster_autoscaler"]',
}
missing = need - {a for a, c in changes.items() if c.get("previous_address")}
assert not missing, f"not moved: {missing}"
PY
terraform -chdir="$migration" apply -auto-approve -no-color "$work/migration.plan" >>"$work/migration.log" 2>&1 \
  || { cat "$work/migration.log"; fail "apply after the switch"; }
replan="$(status=0 && terraform -chdir="$migration" plan -no-color -detailed-exitcode "${migration_vars[@]}" >"$work/migration-replan.log" 2>&1 || status=$?; echo "$status")"
[ "$replan" -eq 0 ] || { cat "$work/migration-replan.log"; fail "the plan after the migration is not empty (exit $replan)"; }
terraform -chdir="$migration" destroy -auto-approve -no-color "${migration_vars[@]}" >>"$work/migration.log" 2>&1 \
  || { cat "$work/migration.log"; fail "destroy after the migration"; }
echo "ok   upstream's provider, role, policy and attachment moved in place; the next plan is empty"

step "the Helm release waits for the policy attachment and the Pod Identity association"
terraform -chdir="$e2e" graph >"$work/graph.dot" 2>"$work/graph.log" || { cat "$work/graph.log"; fail "terraform graph"; }
# What the release depends on, directly or through module variables and
# outputs: both must be among them.
python3 - "$work/graph.dot" <<'PY' || fail "terraform graph: the Helm release does not wait for both"
import re, sys
def name(node):
    return node.removeprefix("[root] ").removesuffix(" (expand)")
edges = {}
for a, b in re.findall(r'"([^"]+)" -> "([^"]+)"', open(sys.argv[1]).read()):
    edges.setdefault(name(a), set()).add(name(b))
start = [n for n in edges if n.endswith("helm_release.cluster_autoscaler")]
assert start, "no helm_release node in the graph"
seen, todo = set(), list(start)
while todo:
    node = todo.pop()
    if node not in seen:
        seen.add(node)
        todo.extend(edges.get(node, ()))
for want in ("aws_iam_role_policy_attachment.this", "aws_eks_pod_identity_association.cluster_autoscaler"):
    found = [n for n in seen if n.endswith(want)]
    assert found, f"the Helm release does not depend on {want}"
    print(f"ok   terraform graph: helm_release -> ... -> {found[0]}")
PY

step "plans that must fail inside a submodule say which input to change"
for test in "$copy"/terraform/tests/refused/*.tftest.hcl; do
  want="$(sed -n 's/^# expect: //p' "$test")"
  [ -n "$want" ] || fail "$test has no '# expect:' line"
  status=0
  terraform -chdir="$copy/terraform" test -no-color -test-directory=tests/refused -filter="tests/refused/${test##*/}" >"$work/refused.log" 2>&1 || status=$?
  [ "$status" -ne 0 ] || { cat "$work/refused.log"; fail "${test##*/}: the plan passed"; }
  flat="$(tr -s ' \n│' ' ' <"$work/refused.log")"
  IFS='|' read -r -a words <<<"$want"
  for word in "${words[@]}"; do
    case "$flat" in
      *"$word"*) ;;
      *) cat "$work/refused.log"; fail "${test##*/}: the failure does not say '$word'" ;;
    esac
  done
  echo "ok   ${test##*/}: refused, saying ${want//|/, }"
done

step "checkov"
checkov_env="$root/.tf-test/checkov"
if [ ! -x "$checkov_env/bin/checkov" ]; then
  python3 -m venv "$checkov_env"
  "$checkov_env/bin/pip" install -q --disable-pip-version-check checkov==3.3.30 || fail "pip install checkov"
fi
"$checkov_env/bin/checkov" -d terraform --framework terraform --quiet --compact --skip-download \
  || fail "checkov found failed checks"
echo "ok   checkov: no failed checks"

step "module READMEs: inputs and outputs tables up to date"
# checkov's venv has python-hcl2, which the table writer needs.
"$checkov_env/bin/python" scripts/tf-docs.py --check || fail "README tables are stale"
