"""The small shared runtime of every handler: events in, JSON responses out, errors, logs, input checks.

Standard library only (boto3 is used by lambdas.aws and the services, never here), so importing it
costs next to nothing on a cold start.
"""
