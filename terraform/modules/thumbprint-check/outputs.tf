output "checked_thumbprints" {
  description = "The pinned thumbprints the check compares the live top with."
  value       = var.thumbprints
}
