"""The user pool's Lambda triggers (Cognito invokes them; no API Gateway, no AWS calls of their own)."""
