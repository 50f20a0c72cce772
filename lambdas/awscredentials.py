"""Credentials for lambdas.awsclient, from where Lambda puts them: the environment, or the container endpoint.

- Environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (every function without SnapStart).
- Container credentials: with SnapStart on, Lambda sets no access key variables; the runtime gets the
  execution role's credentials from a local endpoint, AWS_CONTAINER_CREDENTIALS_FULL_URI with the header
  `Authorization: <AWS_CONTAINER_AUTHORIZATION_TOKEN>`, so that no snapshot holds credentials that would
  expire before a restore (Lambda developer guide, snapstart-activate.html#snapstart-credentials).

The order is botocore's default chain (environment first, then the container provider). The endpoint
protocol is the SDKs' container credential provider (SDKs and Tools reference guide,
feature-container-credentials.html; botocore credentials.py ContainerProvider, utils.py
ContainerMetadataFetcher): GET with `Accept: application/json`, an answer
{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}, http only to a loopback or the ECS/EKS agent
address, 2 s timeout, 3 attempts 1 s apart; kept until 15 min before Expiration, then fetched again,
the old ones still used if that fails while more than 10 min remain (RefreshableCredentials' advisory
and mandatory refresh). Nothing is fetched at import, so a SnapStart snapshot never holds credentials.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from ipaddress import ip_address
from typing import Any, Final, NamedTuple
from urllib.parse import urlsplit

FULL_URI: Final = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
TOKEN: Final = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
ADVISORY_REFRESH_SECONDS: Final = 15 * 60
MANDATORY_REFRESH_SECONDS: Final = 10 * 60
TIMEOUT_SECONDS: Final = 2.0
ATTEMPTS: Final = 3
RETRY_SLEEP_SECONDS: Final = 1.0
_AGENT_HOSTS: Final = frozenset({"169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"})
"""Hosts botocore fetches container credentials from over plain http, besides loopback addresses."""


class CredentialsError(Exception):
    """No usable credentials: none configured, a bad endpoint, or the endpoint did not give any."""


class Credentials(NamedTuple):
    """What SigV4 signs with."""

    access_key: str
    secret_key: str
    token: str | None


class ContainerCredentials:
    """Credentials from the container endpoint at `uri`, cached until 15 minutes before they expire."""

    def __init__(self, uri: str, *, clock: Any = time.time, sleep: Any = time.sleep) -> None:
        url = urlsplit(uri)
        host = url.hostname or ""
        if url.scheme != "https" and not (url.scheme == "http" and (host in _AGENT_HOSTS or _is_loopback(host))):
            raise CredentialsError(
                f"{FULL_URI} must be https, or http to a loopback address or one of {', '.join(sorted(_AGENT_HOSTS))}:"
                f" {uri}"
            )
        self.uri = uri
        self._url = url
        self.clock, self.sleep = clock, sleep
        self._cached: tuple[Credentials, float] | None = None
        self._lock = threading.Lock()

    def get(self) -> Credentials:
        """The cached credentials, or fresh ones when fewer than 15 minutes of them remain."""
        cached = self._cached
        if cached is not None and cached[1] - self.clock() > ADVISORY_REFRESH_SECONDS:
            return cached[0]
        with self._lock:  # one fetch at a time (the health check's probes run on two threads)
            cached = self._cached
            if cached is not None and cached[1] - self.clock() > ADVISORY_REFRESH_SECONDS:
                return cached[0]
            try:
                self._cached = self._fetch()
            except CredentialsError:
                if cached is not None and cached[1] - self.clock() > MANDATORY_REFRESH_SECONDS:
                    return cached[0]
                raise
            return self._cached[0]

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        token = os.environ.get(TOKEN)  # (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is EKS's, not Lambda's)
        if token is not None:
            if "\r" in token or "\n" in token:
                raise CredentialsError(f"{TOKEN}: not a legal header value")
            headers["Authorization"] = token
        return headers

    def _fetch(self) -> tuple[Credentials, float]:
        url, error = self._url, ""
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        for attempt in range(1, ATTEMPTS + 1):
            connection = kind(url.hostname or "", url.port, timeout=TIMEOUT_SECONDS)
            try:
                connection.request("GET", path, headers=self._headers())
                response = connection.getresponse()
                data = response.read()
                if response.status == 200:
                    return _parsed(json.loads(data), self.uri)
                error = f"status {response.status}: {data[:200].decode(errors='replace')}"
            except (OSError, http.client.HTTPException, ValueError) as failure:  # JSONDecodeError is a ValueError
                error = repr(failure)
            finally:
                connection.close()
            if attempt < ATTEMPTS:
                self.sleep(RETRY_SLEEP_SECONDS)
        raise CredentialsError(f"container credentials from {self.uri}: {error} (after {ATTEMPTS} attempts)")


def _is_loopback(host: str) -> bool:
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _parsed(body: Any, uri: str) -> tuple[Credentials, float]:
    """The credentials and their expiry (epoch seconds) from the endpoint's JSON answer."""
    fields = ("AccessKeyId", "SecretAccessKey", "Token", "Expiration")
    missing = [name for name in fields if not isinstance(body, dict) or not isinstance(body.get(name), str)]
    if missing:
        raise CredentialsError(f"container credentials from {uri}: the answer has no {', '.join(missing)}")
    from datetime import datetime  # only SnapStart functions need it: not imported on every cold start

    try:
        expiry = datetime.fromisoformat(body["Expiration"].replace("Z", "+00:00")).timestamp()
    except ValueError as error:
        raise CredentialsError(f"container credentials from {uri}: Expiration {body['Expiration']!r}") from error
    return Credentials(body["AccessKeyId"], body["SecretAccessKey"], body["Token"]), expiry


_container: ContainerCredentials | None = None


def current() -> Credentials:
    """The credentials to sign with now: the environment's, else the container endpoint's (cached)."""
    global _container
    access_key, secret_key = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if access_key and secret_key:
        return Credentials(access_key, secret_key, os.environ.get("AWS_SESSION_TOKEN") or None)
    if access_key or secret_key:
        raise CredentialsError("partial credentials: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    uri = os.environ.get(FULL_URI)
    if not uri:
        raise CredentialsError(f"no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY unset, no {FULL_URI}")
    if _container is None or _container.uri != uri:
        _container = ContainerCredentials(uri)
    return _container.get()
