"""The production CloudFormation stack, merged into `chalice package` output (see infra/build.py)."""
