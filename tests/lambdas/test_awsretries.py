"""lambdas.awsretries against the pinned botocore's standard mode: its tables read from botocore itself, and its
decisions (retry or not, throttling or not, the delay, the quota) made by botocore's own classes on the same answers.
A botocore bump that changes any of them fails here."""

from __future__ import annotations

import functools
import itertools

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError as BotocoreEndpointConnectionError
from botocore.retries import quota, standard

from lambdas import awsretries

SERVICE_IDS = {"dynamodb": "dynamodb", "secretsmanager": "secrets-manager", "events": "eventbridge", "sqs": "sqs"}
"""Our names -> botocore's hyphenised service ids (the keys of its per-service tables)."""
OPERATIONS = {
    "dynamodb": ("PutItem", "TransactWriteItems", "GetItem"),
    "secretsmanager": ("GetSecretValue",),
    "events": ("PutEvents",),
    "sqs": ("SendMessage", "SendMessageBatch"),
}


@functools.cache
def _model(service: str):
    return botocore.session.get_session().get_service_model(service)


@pytest.mark.parametrize("service", SERVICE_IDS)
def test_awsretries_attempts_are_botocores_per_service(service):
    theirs = standard._SERVICE_MAX_ATTEMPTS.get(SERVICE_IDS[service], standard.DEFAULT_MAX_ATTEMPTS)

    assert awsretries.SERVICE_MAX_ATTEMPTS.get(service, awsretries.DEFAULT_MAX_ATTEMPTS) == theirs
    assert awsretries.DEFAULT_MAX_ATTEMPTS == standard.DEFAULT_MAX_ATTEMPTS


def test_awsretries_dynamodb_gets_four_attempts():
    assert awsretries.SERVICE_MAX_ATTEMPTS["dynamodb"] == 4


@pytest.mark.parametrize("service", SERVICE_IDS)
def test_awsretries_backoff_scales_are_botocores(service):
    backoff = standard.ExponentialBackoff
    config = backoff._DEFAULT_BACKOFF_CONFIG | backoff._SERVICE_BACKOFF_CONFIG.get(SERVICE_IDS[service], {})

    assert awsretries.BASE_SECONDS.get(service, awsretries.DEFAULT_BASE_SECONDS) == config["non_throttling_base_scale"]
    assert awsretries.THROTTLING_BASE_SECONDS == config["throttling_base_scale"]
    assert awsretries.MAX_BACKOFF_SECONDS == backoff._MAX_BACKOFF
    assert awsretries.RETRY_AFTER_HEADER == backoff._RETRY_AFTER_HEADER
    assert awsretries.RETRY_AFTER_MAX_ADDITIONAL_SECONDS == backoff._RETRY_AFTER_MAX_ADDITIONAL


def test_awsretries_codes_and_statuses_are_botocores():
    assert set(standard.ThrottledRetryableChecker._THROTTLED_ERROR_CODES) == awsretries.THROTTLING_CODES
    assert set(standard.TransientRetryableChecker._TRANSIENT_ERROR_CODES) == awsretries.TRANSIENT_CODES
    assert set(standard.TransientRetryableChecker._TRANSIENT_STATUS_CODES) == awsretries.TRANSIENT_STATUSES
    assert set(standard.ThrottlingStatusCodeChecker._THROTTLING_STATUS_CODES) == awsretries.THROTTLING_STATUSES


@pytest.mark.parametrize("service", SERVICE_IDS)
def test_awsretries_modeled_errors_are_the_models(service):
    model = _model(service)
    errors = {shape.name for name in model.operation_names for shape in model.operation_model(name).error_shapes}
    retryable = {
        (shape.name, name)
        for name in model.operation_names
        for shape in model.operation_model(name).error_shapes
        if shape.metadata.get("retryable") is not None
    }
    throttling = {code for code, _ in retryable if model.shape_for(code).metadata["retryable"].get("throttling")}
    ours = {(code, name) for code, names in awsretries.MODELED_RETRYABLE.items() for name in names}

    assert errors == awsretries.MODELED_ERRORS[service]
    for (theirs_service, operation), own in awsretries.OPERATION_ERRORS.items():
        if theirs_service == service:
            assert own == {shape.name for shape in model.operation_model(operation).error_shapes}
    assert retryable == (ours if service == "dynamodb" else set())
    assert throttling == set()  # is_throttling relies on it
    assert all(not model.shape_for(shape).metadata.get("error", {}).get("code") for shape in errors)  # names = codes


def test_awsretries_quota_is_botocores():
    assert awsretries.INITIAL_QUOTA == quota.RetryQuota.INITIAL_CAPACITY
    assert awsretries.RETRY_COST == standard.RetryQuotaChecker._RETRY_COST
    assert awsretries.THROTTLING_RETRY_COST == standard.RetryQuotaChecker._THROTTLING_RETRY_COST
    assert awsretries.NO_RETRY_INCREMENT == standard.RetryQuotaChecker._NO_RETRY_INCREMENT


ANSWERS = [
    (None, None),  # no answer: a connection error
    (200, None),
    (400, "ConditionalCheckFailedException"),
    (400, "ValidationException"),
    (400, "ProvisionedThroughputExceededException"),
    (400, "ThrottlingException"),
    (400, "ReplicatedWriteConflictException"),
    (400, "TransactionConflictException"),
    (400, "RequestTimeout"),
    (400, "LimitExceededException"),
    (429, "429"),  # a bare 429: the code is the status
    (429, "SomethingUnmodeled"),
    (429, "ResourceNotFoundException"),  # modeled: the model decides, not the status
    (500, "InternalServerError"),
    (500, "InternalServiceError"),
    (502, "502"),
    (503, "ServiceUnavailable"),
    (504, "504"),
    (403, "AccessDeniedException"),
    (400, "QueueDoesNotExist"),  # SQS's shape name; with x-amzn-query-error the code is the query code below
    (429, "QueueDoesNotExist"),
    (429, "AWS.SimpleQueueService.NonExistentQueue"),  # not a shape name: botocore treats its 429 as throttling
    (400, "RequestThrottled"),
]


def _context(
    service: str, status: int | None, code: str | None, attempt: int, retry_after: str | None, operation: str = ""
):
    """botocore's view of one answer to `operation` (the service's first of OPERATIONS by default)."""
    headers = {} if retry_after is None else {"x-amz-retry-after": retry_after}
    return standard.RetryContext(
        attempt_number=attempt,
        operation_model=_model(service).operation_model(operation or OPERATIONS[service][0]),
        parsed_response=None if status is None else {"Error": {"Code": code or "", "Message": ""}},
        http_response=None if status is None else AWSResponse("https://example", status, headers, None),
        caught_exception=BotocoreEndpointConnectionError(endpoint_url="https://example") if status is None else None,
        request_context={},
    )


@pytest.mark.parametrize("service", SERVICE_IDS)
def test_awsretries_decides_as_botocore_on_the_same_answers(service):
    conditions = standard.StandardRetryConditions(max_attempts=99)
    detector = standard.ThrottlingErrorDetector(standard.RetryEventAdapter())
    differences = []
    for (status, code), operation in itertools.product(ANSWERS, OPERATIONS[service]):
        context = _context(service, status, code, 1, None, operation)
        theirs = (conditions.is_retryable(context), detector.is_throttling_error_from_context(context))
        ours = (
            awsretries.is_retryable(service, operation, status, code),
            awsretries.is_throttling(service, operation, status, code),
        )
        if status == 200:
            ours = (False, False)  # a success is never looked at by the policy
        if theirs != ours:
            differences.append((status, code, operation, ours, theirs))

    assert differences == []


RETRY_AFTERS = (None, "2500", "x", "-1")
"""x-amz-retry-after values: none, 2.5 s, malformed, negative (both ignored)."""


@pytest.mark.parametrize("service", SERVICE_IDS)
def test_awsretries_delays_as_botocore_with_the_same_jitter(service):
    detector = standard.ThrottlingErrorDetector(standard.RetryEventAdapter())
    differences = []
    for (status, code), attempt, jitter, retry_after in itertools.product(
        [answer for answer in ANSWERS if answer[0] != 200],
        (1, 2, 3, 6, 12),
        (0.0, 0.37, 1.0),
        (None, "2500", "x", "-1"),
    ):
        if status is None:
            retry_after = None  # no answer, no header
        backoff = standard.ExponentialBackoff(
            random=lambda jitter=jitter: jitter, service_name=SERVICE_IDS[service], throttling_detector=detector
        )
        theirs = backoff.delay_amount(_context(service, status, code, attempt, retry_after))
        throttling = awsretries.is_throttling(service, OPERATIONS[service][0], status, code)
        ours = awsretries.backoff(service, attempt, throttling, jitter, retry_after)
        if ours != pytest.approx(theirs):
            differences.append((status, code, attempt, jitter, retry_after, ours, theirs))

    assert differences == []


def test_awsretries_quota_drains_and_refills_as_botocores():
    # GIVEN botocore's quota checker and ours, WHEN the same retries and successes happen to both
    theirs_quota = quota.RetryQuota()
    detector = standard.ThrottlingErrorDetector(standard.RetryEventAdapter())
    theirs = standard.RetryQuotaChecker(theirs_quota, detector)
    ours = awsretries.RetryQuota()
    events = (
        [(503, "ServiceUnavailable")] * 30 + [(200, None)] * 3 + [(400, "ThrottlingException")] * 40 + [(200, None)]
    )
    granted = []
    for status, code in events:
        context = _context("dynamodb", status, code, 1, None)
        if status == 200:
            request_context = {} if not granted else {"retry_quota_capacity": granted[-1][1]}
            theirs.release_retry_quota(request_context, AWSResponse("https://example", 200, {}, None))
            ours.release(granted[-1][1] if granted else awsretries.NO_RETRY_INCREMENT)
            granted.clear()
            continue
        throttling = awsretries.is_throttling("dynamodb", "PutItem", status, code)
        cost = awsretries.THROTTLING_RETRY_COST if throttling else awsretries.RETRY_COST
        granted.append((theirs.acquire_retry_quota(context), cost))
        assert ours.acquire(cost) == granted[-1][0]
        if not granted[-1][0]:
            granted.pop()

        # THEN both hold the same capacity after every step
        assert ours.available == theirs_quota.available_capacity
