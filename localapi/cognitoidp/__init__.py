"""Cognito user pools: the authorizer's token checks, the token issuer, the sign-in flows and the
pre token generation trigger as Cognito runs them, on top of moto's cognito-idp."""
