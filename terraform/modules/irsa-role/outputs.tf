output "arn" {
  description = "ARN of the role: the value of the eks.amazonaws.com/role-arn service account annotation."
  value       = aws_iam_role.this.arn
}

output "name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "trust_policy" {
  description = "The role's trust policy JSON."
  value       = data.aws_iam_policy_document.trust.json
}
