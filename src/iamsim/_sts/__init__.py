"""STS: sealed session credentials, virtual MFA, web identity tokens, and the STS service."""
