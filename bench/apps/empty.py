"""The floor: a handler that imports nothing and calls nothing (the interpreter's own start-up cost)."""


def handler(event, context):
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": '{"version": 3}'}
