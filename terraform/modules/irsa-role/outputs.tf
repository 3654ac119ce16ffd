output "arn" {
  description = "ARN of the role: the value of the eks.amazonaws.com/role-arn service account annotation."
  value       = aws_iam_role.this.arn
  # Whatever uses the ARN (a Helm release's annotation, a Pod Identity
  # association) then also waits for the policies to be attached.
  depends_on = [aws_iam_role_policy_attachment.this]
}

output "name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "trust_policy" {
  description = "The role's trust policy JSON."
  value       = data.aws_iam_policy_document.trust.json
}

output "name_prefix" {
  description = "The role's name prefix when use_name_prefix is set, else null."
  value       = aws_iam_role.this.name_prefix
}

output "description" {
  description = "The role's description."
  value       = aws_iam_role.this.description
}

output "max_session_duration" {
  description = "The role's longest session, in seconds."
  value       = aws_iam_role.this.max_session_duration
}
