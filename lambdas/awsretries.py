"""botocore's "standard" retry mode for lambdas.awsclient: which answers are retried, how long to wait, the quota.

Every table here is botocore's (the pinned version, constraints.txt), read from botocore/retries/standard.py,
retries/quota.py and the services' models; tests/lambdas/test_awsretries.py compares each with botocore's
own, so a botocore bump that changes one fails there. The SDKs' description of the mode:
https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
"""

from __future__ import annotations

import threading
from typing import Final

DEFAULT_MAX_ATTEMPTS: Final = 3
"""Attempts in all, first one included (standard.DEFAULT_MAX_ATTEMPTS), unless AWS_MAX_ATTEMPTS says otherwise."""
SERVICE_MAX_ATTEMPTS: Final = {"dynamodb": 4}
"""Services with more (standard._SERVICE_MAX_ATTEMPTS: DynamoDB's, with its 25 ms backoff base)."""
MAX_BACKOFF_SECONDS: Final = 20.0
"""The cap on one backoff (ExponentialBackoff._MAX_BACKOFF)."""
THROTTLING_BASE_SECONDS: Final = 1.0
"""The backoff scale after a throttling error (ExponentialBackoff, throttling_base_scale)."""
BASE_SECONDS: Final = {"dynamodb": 0.025}
"""The scale after any other error (a connection error, a 5xx): 25 ms for DynamoDB, else DEFAULT_BASE_SECONDS."""
DEFAULT_BASE_SECONDS: Final = 0.05
RETRY_AFTER_HEADER: Final = "x-amz-retry-after"
"""Milliseconds the service asks the client to wait; honoured up to 5 s beyond the computed backoff."""
RETRY_AFTER_MAX_ADDITIONAL_SECONDS: Final = 5.0
THROTTLING_CODES: Final = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)
"""Throttling codes (ThrottledRetryableChecker._THROTTLED_ERROR_CODES)."""
TRANSIENT_CODES: Final = frozenset({"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"})
"""Transient error codes (TransientRetryableChecker._TRANSIENT_ERROR_CODES)."""
TRANSIENT_STATUSES: Final = frozenset({500, 502, 503, 504})
"""Statuses retried whatever the code (TransientRetryableChecker._TRANSIENT_STATUS_CODES)."""
THROTTLING_STATUSES: Final = frozenset({429})
"""Statuses retried as throttling when the code is none of the service's modeled errors (ThrottlingStatusCodeChecker).
"""
MODELED_RETRYABLE: Final = {
    "ReplicatedWriteConflictException": frozenset({"BatchWriteItem", "DeleteItem", "PutItem", "UpdateItem"}),
}
"""Error shapes the model marks `retryable`, none as throttling, and the operations that declare them (botocore's
ModeledRetryableChecker looks in the operation's own errors): DynamoDB's only one is an MRSC write to an item another
region is modifying; Secrets Manager has none."""
_SQS_SEND_ERRORS: Final = frozenset(
    {
        "InvalidAddress",
        "InvalidSecurity",
        "KmsAccessDenied",
        "KmsDisabled",
        "KmsInvalidKeyUsage",
        "KmsInvalidState",
        "KmsNotFound",
        "KmsOptInRequired",
        "KmsThrottled",
        "QueueDoesNotExist",
        "RequestThrottled",
        "UnsupportedOperation",
    }
)
"""What SQS's SendMessage and SendMessageBatch both declare (its model)."""
MODELED_ERRORS: Final = {
    "dynamodb": frozenset(
        {
            "BackupInUseException",
            "BackupNotFoundException",
            "ConditionalCheckFailedException",
            "ContinuousBackupsUnavailableException",
            "DuplicateItemException",
            "ExportConflictException",
            "ExportNotFoundException",
            "GlobalTableAlreadyExistsException",
            "GlobalTableNotFoundException",
            "IdempotentParameterMismatchException",
            "ImportConflictException",
            "ImportNotFoundException",
            "IndexNotFoundException",
            "InternalServerError",
            "InvalidExportTimeException",
            "InvalidRestoreTimeException",
            "ItemCollectionSizeLimitExceededException",
            "LimitExceededException",
            "PointInTimeRecoveryUnavailableException",
            "PolicyNotFoundException",
            "ProvisionedThroughputExceededException",
            "ReplicaAlreadyExistsException",
            "ReplicaNotFoundException",
            "ReplicatedWriteConflictException",
            "RequestLimitExceeded",
            "ResourceInUseException",
            "ResourceNotFoundException",
            "TableAlreadyExistsException",
            "TableInUseException",
            "TableNotFoundException",
            "ThrottlingException",
            "TransactionCanceledException",
            "TransactionConflictException",
            "TransactionInProgressException",
        }
    ),
    "secretsmanager": frozenset(
        {
            "DecryptionFailure",
            "EncryptionFailure",
            "InternalServiceError",
            "InvalidNextTokenException",
            "InvalidParameterException",
            "InvalidRequestException",
            "LimitExceededException",
            "MalformedPolicyDocumentException",
            "PreconditionNotMetException",
            "PublicPolicyException",
            "ResourceExistsException",
            "ResourceNotFoundException",
        }
    ),
    "events": frozenset(
        {
            "AccessDeniedException",
            "ConcurrentModificationException",
            "IllegalStatusException",
            "InternalException",
            "InvalidEventPatternException",
            "InvalidStateException",
            "LimitExceededException",
            "ManagedRuleException",
            "OperationDisabledException",
            "PolicyLengthExceededException",
            "ResourceAlreadyExistsException",
            "ResourceNotFoundException",
            "ThrottlingException",
        }
    ),
    # SQS's shapes carry no `error.code`, so botocore matches them by name; the Error.Code it checks is the
    # x-amzn-query-error code when the answer has one (lambdas/awsclient.py), as botocore's own parser makes it.
    "sqs": _SQS_SEND_ERRORS
    | {
        "BatchEntryIdsNotDistinct",
        "BatchRequestTooLong",
        "EmptyBatchRequest",
        "InvalidAttributeName",
        "InvalidAttributeValue",
        "InvalidBatchEntryId",
        "InvalidIdFormat",
        "InvalidMessageContents",
        "MessageNotInflight",
        "OverLimit",
        "PurgeQueueInProgress",
        "QueueDeletedRecently",
        "QueueNameExists",
        "ReceiptHandleIsInvalid",
        "ResourceNotFoundException",
        "TooManyEntriesInBatchRequest",
    },
}
"""The errors the service's operations declare. botocore checks the operation's own list; this is their union
per service (the same answer for every code DynamoDB and Secrets Manager send with a 429), with OPERATION_ERRORS
where an operation's own list gives another answer."""
OPERATION_ERRORS: Final = {
    ("events", "PutEvents"): frozenset({"InternalException"}),
    ("sqs", "SendMessage"): _SQS_SEND_ERRORS | {"InvalidMessageContents"},
    ("sqs", "SendMessageBatch"): _SQS_SEND_ERRORS
    | {
        "BatchEntryIdsNotDistinct",
        "BatchRequestTooLong",
        "EmptyBatchRequest",
        "InvalidBatchEntryId",
        "TooManyEntriesInBatchRequest",
    },
}
"""Operations whose own error list is not their service's union: a 429 ResourceNotFoundException to PutEvents (or
to SendMessage) is throttling for botocore (neither declares it)."""
INITIAL_QUOTA: Final = 500
"""The retry quota's capacity per client (quota.RetryQuota.INITIAL_CAPACITY)."""
RETRY_COST: Final = 14
"""Taken from the quota by a retry after a non-throttling error (RetryQuotaChecker._RETRY_COST) ..."""
THROTTLING_RETRY_COST: Final = 5
"""... and after a throttling one (_THROTTLING_RETRY_COST)."""
NO_RETRY_INCREMENT: Final = 1
"""Given back by a success at the first attempt (_NO_RETRY_INCREMENT); a success after retries gives back what
its last retry took."""


def _modeled_retryable(operation: str, code: str | None) -> bool:
    return operation in MODELED_RETRYABLE.get(code or "", ())


def is_throttling(service: str, operation: str, status: int | None, code: str | None) -> bool:
    """Whether an answer counts as throttling (ThrottlingErrorDetector): the longer backoff, the cheaper retry."""
    if code in THROTTLING_CODES:
        return True
    if _modeled_retryable(operation, code):
        return False  # modeled retryable, and none of these services' is marked as throttling
    modeled = OPERATION_ERRORS.get((service, operation), MODELED_ERRORS[service])
    return status in THROTTLING_STATUSES and code not in modeled


def is_retryable(service: str, operation: str, status: int | None, code: str | None) -> bool:
    """Whether standard mode retries an answer (`status` None: no answer, a connection error, always retried)."""
    if status is None or code in TRANSIENT_CODES or status in TRANSIENT_STATUSES:
        return True
    return is_throttling(service, operation, status, code) or _modeled_retryable(operation, code)


def backoff(service: str, attempt: int, throttling: bool, jitter: float, retry_after_ms: str | None) -> float:
    """Seconds to wait after failed attempt `attempt` (1-based): `jitter * min(base * 2**(attempt-1), 20)`,
    raised to the answer's x-amz-retry-after (milliseconds) but by at most 5 s."""
    base = THROTTLING_BASE_SECONDS if throttling else BASE_SECONDS.get(service, DEFAULT_BASE_SECONDS)
    delay: float = jitter * min(base * 2.0 ** (attempt - 1), MAX_BACKOFF_SECONDS)
    if retry_after_ms is not None:
        try:
            asked = int(retry_after_ms) / 1000.0
        except (ValueError, OverflowError):
            return delay  # botocore ignores a malformed value
        if asked >= 0:
            return max(delay, min(asked, RETRY_AFTER_MAX_ADDITIONAL_SECONDS + delay))
    return delay


class RetryQuota:
    """Standard mode's token bucket (retries/quota.py): a retry takes capacity, a success gives some back; with
    none left, a retryable failure is raised at once, so a brownout is not met with every client's retries."""

    def __init__(self, capacity: int = INITIAL_QUOTA) -> None:
        self.capacity = capacity
        self.available = capacity
        self._lock = threading.Lock()

    def acquire(self, amount: int) -> bool:
        """Take `amount` for a retry; False (and nothing taken) when not that much is left."""
        with self._lock:
            if amount > self.available:
                return False
            self.available -= amount
            return True

    def release(self, amount: int) -> None:
        """Give `amount` back, never beyond the capacity."""
        if self.available == self.capacity:
            return
        with self._lock:
            self.available += min(self.capacity - self.available, amount)
