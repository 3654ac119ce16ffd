output "role_arns" {
  description = "The controllers' role ARNs, for their service accounts' eks.amazonaws.com/role-arn annotation."
  value       = { for name, role in module.controller_role : name => role.arn }
}
