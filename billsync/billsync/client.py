"""The portal's Billsync API over one keep-alive httpx client: network errors, 5xx and 429 are retried with
capped exponential backoff (interruptible by a stop); other refusals raise ApiError with the API's code."""

import logging
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from . import __version__
from .api_codes import ApiCode

log = logging.getLogger("billsync")
LEASE_HEADER = "X-Billsync-Lease"


class ApiError(Exception):
    """The portal refused a request (4xx): `code` is the API's stable error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{message} ({code}, HTTP {status})")
        self.status, self.code, self.message = status, code, message


class PortalUnavailable(Exception):
    """The portal could not be reached (or kept answering 5xx) after the retries."""


class Stopped(Exception):
    """A stop was requested while waiting to retry."""


class Api:
    def __init__(
        self,
        url: str,
        key: str,
        *,
        workers: int = 4,
        timeout: float = 30.0,
        retries: int = 5,
        backoff: float = 0.5,
        backoff_cap: float = 30.0,
        stop: threading.Event | None = None,
    ) -> None:
        self.retries, self.backoff, self.backoff_cap = retries, backoff, backoff_cap
        self.stop = stop or threading.Event()
        self.http = httpx.Client(
            base_url=url.rstrip("/") + "/api/sync/v1/",
            headers={"Authorization": f"Bearer {key}", "User-Agent": f"billsync/{__version__}"},
            timeout=httpx.Timeout(timeout, connect=10.0),
            # a worker may send an acknowledgement or a failure report while its download is open
            limits=httpx.Limits(max_connections=2 * workers + 2, max_keepalive_connections=2 * workers + 2),
        )

    def close(self) -> None:
        self.http.close()

    # Retries --------------------------------------------------------------------------------------------

    def _pause(self, attempt: int, retry_after: str | None = None) -> None:
        delay = min(self.backoff_cap, self.backoff * 2**attempt) * (0.5 + random.random() / 2)
        if retry_after and retry_after.isdigit():
            delay = min(self.backoff_cap, float(retry_after))
        if self.stop.wait(delay):
            raise Stopped()

    @staticmethod
    def _refusal(response: httpx.Response) -> ApiError:
        try:
            data = response.json()
            return ApiError(response.status_code, str(data.get("code", ApiCode.ERROR)), str(data.get("message", "")))
        except (ValueError, AttributeError):
            return ApiError(response.status_code, ApiCode.ERROR, response.text[:200])

    def _send(self, method: str, path: str, *, stream: bool = False, **kwargs: Any) -> httpx.Response:
        """One request with retries; a successful streaming response must be closed by the caller."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                request = self.http.build_request(method, path, **kwargs)
                response = self.http.send(request, stream=stream)
            except httpx.TransportError as error:
                if last:
                    raise PortalUnavailable(f"{method} {path}: {error!r}") from error
                log.warning("portal unreachable (%s); retrying", error.__class__.__name__)
                self._pause(attempt)
                continue
            if response.status_code >= 500 or response.status_code == 429:
                if stream:
                    response.read()
                    response.close()
                if last:
                    raise PortalUnavailable(f"{method} {path}: HTTP {response.status_code}")
                log.warning("portal answered HTTP %s; retrying", response.status_code)
                self._pause(attempt, response.headers.get("Retry-After"))
                continue
            if response.status_code >= 400:
                if stream:
                    response.read()
                    response.close()
                raise self._refusal(response)
            return response
        raise AssertionError("unreachable")

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        answer = self._send(method, path, **kwargs).json()
        if not isinstance(answer, dict):
            raise ApiError(200, ApiCode.ERROR, f"{method} {path}: the answer is not a JSON object")
        return answer

    # Endpoints ------------------------------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        return self._json("GET", "config")

    def heartbeat(self, **fields: Any) -> dict[str, Any]:
        return self._json("POST", "heartbeat", json=fields)

    def items(self, after: int = 0, limit: int = 200) -> dict[str, Any]:
        return self._json("GET", "items", params={"after": after, "limit": limit})

    def lease(self, after: int = 0, limit: int = 100) -> dict[str, Any]:
        """Lease a page of waiting items: `items`, `lease` (one token for the page), `next`, `has_more`."""
        return self._json("POST", "items/lease", json={"after": after, "limit": limit})

    @contextmanager
    def download(self, item_id: int, lease: str = "") -> Iterator[tuple[httpx.Response, str]]:
        """Yield (response, lease token) for the item's bytes; read them with `response.iter_bytes()`. With
        `lease` (of a leased page) the download happens under it; without, it takes a lease of its own."""
        headers = {LEASE_HEADER: lease} if lease else None
        response = self._send("GET", f"items/{item_id}/content", stream=True, headers=headers)
        try:
            yield response, response.headers.get(LEASE_HEADER, "")
        finally:
            response.close()

    def ack(self, item_id: int, sha256: str, lease: str = "") -> str:
        return str(self._json("POST", f"items/{item_id}/ack", json={"sha256": sha256, "lease": lease})["status"])

    @contextmanager
    def download_many(self, item_ids: list[int], lease: str) -> Iterator[httpx.Response]:
        """Yield the streaming response of a bundle of leased items (read it with `BundleReader`)."""
        response = self._send(
            "POST", "items/content", stream=True, json={"ids": item_ids}, headers={LEASE_HEADER: lease}
        )
        try:
            yield response
        finally:
            response.close()

    def _batch(self, path: str, entries: list[dict[str, Any]]) -> list[str]:
        """POST a batch (`{"items": [...]}`); one status per entry, in order (`{"results": [{"id", "status"}]}`)."""
        results = self._json("POST", path, json={"items": entries})["results"]
        if [result["id"] for result in results] != [entry["id"] for entry in entries]:
            raise ApiError(200, ApiCode.ERROR, f"{path}: the answer does not match what was sent")
        return [str(result["status"]) for result in results]

    def ack_many(self, acks: list[dict[str, Any]]) -> list[str]:
        """Acknowledge written files ({id, sha256, lease} each) in one request; one status per entry, in order."""
        return self._batch("items/ack", acks)

    def failure(self, item_id: int, code: str, message: str, lease: str = "") -> str:
        return str(
            self._json(
                "POST", f"items/{item_id}/failure", json={"code": code, "message": message[:2000], "lease": lease}
            )["status"]
        )

    def report_failures(self, reports: list[dict[str, Any]]) -> list[str]:
        """Report files that could not be written ({id, code, message, lease} each) in one request; one status per
        report, in order. A portal without the batch endpoint gets them one by one."""
        reports = [{**report, "message": str(report["message"])[:2000]} for report in reports]
        try:
            return self._batch("items/failures", reports)
        except ApiError as error:
            if error.status != 404 or error.code != ApiCode.NOT_FOUND:  # 404: the endpoint, not an item
                raise
        return [self.failure(r["id"], r["code"], r["message"], r["lease"]) for r in reports]
