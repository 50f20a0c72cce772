"""API Gateway (REST) as one region runs it: routing, the Cognito authorizer, the request validator,
the Lambda proxy integration, gateway responses, by the deployable document."""
