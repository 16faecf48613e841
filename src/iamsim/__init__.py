"""iamsim: AWS IAM and STS emulated in-process."""
