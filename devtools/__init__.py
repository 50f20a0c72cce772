"""Development tools: the offline Terraform harness and the HCL helpers tests use (not shipped in the wheel)."""
