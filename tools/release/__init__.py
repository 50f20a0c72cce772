"""Releases: a content-addressed release directory, rolled out region by region (waves), each region
through a canary with automatic rollback on its alarms (`make release`, `make release-drill`)."""
