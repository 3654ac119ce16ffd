"""Reads back from moto what `terraform apply` created and checks it.

Usage: check_moto.py ENDPOINT EXPECTED_THUMBPRINT ISSUER_HOST_PATH OUTPUTS_JSON
Prints one line per check and exits non-zero on the first failure.
"""
import json
import sys

import boto3

endpoint, expected_thumbprint, issuer_host_path, outputs_file = sys.argv[1:5]
outputs = {k: v["value"] for k, v in json.load(open(outputs_file)).items()}
iam = boto3.client(
    "iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
)


def check(name, ok, detail):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        sys.exit(1)


provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=outputs["oidc_provider_arn"])
check("provider thumbprint is openssl's", provider["ThumbprintList"] == [expected_thumbprint], provider["ThumbprintList"])
check("provider client id is sts.amazonaws.com", provider["ClientIDList"] == ["sts.amazonaws.com"], provider["ClientIDList"])
check("provider url is the issuer", provider["Url"].removeprefix("https://") == issuer_host_path, provider["Url"])

role_name = outputs["cluster_autoscaler_role_arn"].rsplit("/", 1)[1]
role = iam.get_role(RoleName=role_name)["Role"]
trust = role["AssumeRolePolicyDocument"]
if isinstance(trust, str):
    from urllib.parse import unquote

    trust = json.loads(unquote(trust))
statements = trust["Statement"]
check("one trust statement", len(statements) == 1, statements)
statement = statements[0]
check("action is AssumeRoleWithWebIdentity", statement["Action"] == "sts:AssumeRoleWithWebIdentity", statement)
check("principal is the provider", statement["Principal"] == {"Federated": outputs["oidc_provider_arn"]}, statement)
expected_condition = {
    "StringEquals": {
        f"{issuer_host_path}:sub": "system:serviceaccount:kube-system:cluster-autoscaler",
        f"{issuer_host_path}:aud": "sts.amazonaws.com",
    }
}
check("trust condition is sub and aud exactly", statement["Condition"] == expected_condition, statement["Condition"])

attached = [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]]
check("autoscaler policy attached", attached == [outputs["cluster_autoscaler_policy_arn"]], attached)
