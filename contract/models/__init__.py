"""Pydantic models of the API: request and response bodies, path and query parameters.

Only models live here (no boto3, no apispec). Each class name becomes an OpenAPI component name,
so class names are unique across the package and alphanumeric.
"""
