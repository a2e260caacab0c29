"""API key checks and per-key rate limits, as FastAPI dependencies.

Verified keys are cached for ``key_cache_seconds`` (keyed by a digest of the token, never the
token itself), so a key revoked from another process stops working within that time; a key
revoked through this process stops at once.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from embargo.service.errors import Forbidden, RateLimited, Unauthorized
from embargo.service.ratelimit import RateLimiter
from embargo.store.keys import ApiKey, KeyStore

MAX_CACHED = 10_000
KEY_PREFIX = "emb_"
QUERY_KEY_PATHS = ("/reconcile/",)  # OpenRefine cannot send headers


class KeyCache:
    """Key verification with a short-lived cache in front of the store."""

    def __init__(self, keys: KeyStore, ttl: float) -> None:
        self.keys = keys
        self.ttl = ttl
        self._cache: dict[bytes, tuple[ApiKey | None, float]] = {}
        self._lock = threading.Lock()

    def cached(self, token: str) -> tuple[bool, ApiKey | None]:
        """(hit, key) from the cache."""
        digest = hashlib.sha256(token.encode()).digest()
        with self._lock:
            found = self._cache.get(digest)
        if found is None or found[1] < time.monotonic():
            return False, None
        return True, found[0]

    def verify(self, token: str) -> ApiKey | None:
        key = self.keys.verify(token)
        if self.ttl > 0:
            digest = hashlib.sha256(token.encode()).digest()
            with self._lock:
                if len(self._cache) >= MAX_CACHED:
                    self._cache.clear()
                self._cache[digest] = (key, time.monotonic() + self.ttl)
        return key

    def forget(self, key_id: str) -> None:
        """Drop a key from the cache (after revoking it)."""
        with self._lock:
            for digest, (key, _) in list(self._cache.items()):
                if key is not None and key.id == key_id:
                    del self._cache[digest]


SCHEMES = frozenset({"bearer", "apikey"})
MISSING = ("missing API key: send 'Authorization: Bearer <key>' or 'Authorization: ApiKey <key>' "
           "(the OpenSanctions API's form)")


def bearer_token(request: Request) -> str:
    """The key from ``Authorization: Bearer <key>`` or ``Authorization: ApiKey <key>``.

    A bare ``emb_...`` token without a scheme is taken too (some yente clients send the key
    alone), and so is an ``api_key`` query parameter on the reconciliation endpoints, which
    OpenRefine calls without headers.
    """
    header = request.headers.get("authorization", "").strip()
    scheme, _, token = header.partition(" ")
    if scheme.lower() in SCHEMES and token.strip():
        return token.strip()
    if header.startswith(KEY_PREFIX) and " " not in header:
        return header
    query_key = request.query_params.get("api_key", "").strip()
    if not header and query_key and request.url.path.startswith(QUERY_KEY_PATHS):
        return query_key
    raise Unauthorized(MISSING)


async def authenticate(request: Request, cache: KeyCache, limiter: RateLimiter,
                       scope: str) -> ApiKey:
    """The request's key, checked for ``scope`` and charged one token."""
    token = bearer_token(request)
    hit, key = cache.cached(token)
    if not hit:
        key = await run_in_threadpool(cache.verify, token)
    if key is None:
        raise Unauthorized("invalid or revoked API key")
    if not key.allows(scope):
        raise Forbidden(f"this API key lacks the {scope!r} scope", key_id=key.id,
                        scope=scope)
    wait = limiter.acquire(key.id)
    if wait > 0:
        raise RateLimited(f"rate limit of key {key.id} exceeded; retry in {wait:.2f} s",
                          key_id=key.id, retry_after=max(1, math.ceil(wait)))
    request.state.api_key = key
    return key


def require(scope: str) -> Callable[[Request], Awaitable[ApiKey]]:
    """A dependency that admits requests whose key carries ``scope`` (or ``admin``)."""

    async def dependency(request: Request) -> ApiKey:
        state = request.app.state.embargo
        return await authenticate(request, state.key_cache, state.limiter, scope)

    dependency.__name__ = f"require_{scope}"
    return dependency
