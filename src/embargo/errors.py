"""One exception root with narrow subclasses.

Each class carries its CLI exit code and HTTP status, so that the CLI and
the service map errors in one place (:func:`error_body`).
"""

from __future__ import annotations

from typing import Any


class EmbargoError(Exception):
    """Root of every error Embargo raises on purpose."""

    exit_code = 1
    http_status = 500
    code = "error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by state, so errors cross process boundaries (parallel parsing)."""
        return (_rebuild, (type(self), self.message, self.details))


def _rebuild(cls: type[EmbargoError], message: str, details: dict[str, Any]) -> EmbargoError:
    error = Exception.__new__(cls)
    Exception.__init__(error, message)
    error.message, error.details = message, details
    return error


class ConfigError(EmbargoError):
    exit_code = 2
    http_status = 500
    code = "config_error"


class UsageError(EmbargoError):
    """The caller asked for something that cannot be done as asked."""

    exit_code = 2
    http_status = 400
    code = "bad_request"


class ParseError(EmbargoError):
    """A list file is malformed, truncated, hostile or of the wrong format.

    The message names the file and, where known, the line or element.
    """

    exit_code = 3
    http_status = 422
    code = "parse_error"

    def __init__(self, path: object, message: str, line: int | None = None,
                 element: str | None = None) -> None:
        where = str(path)
        if line is not None:
            where += f":{line}"
        if element:
            where += f" <{element}>"
        super().__init__(f"{where}: {message}", path=str(path), line=line, element=element)


class UnknownFormatError(ParseError):
    code = "unknown_format"


class NotFoundError(EmbargoError):
    exit_code = 4
    http_status = 404
    code = "not_found"


class StoreError(EmbargoError):
    exit_code = 5
    http_status = 503
    code = "store_error"


class DuplicateSnapshotError(StoreError):
    """The same content was stored meanwhile (a concurrent import of the same file)."""

    code = "duplicate_snapshot"


class FetchError(EmbargoError):
    """A list could not be downloaded or verified; the old snapshot stays."""

    exit_code = 6
    http_status = 502
    code = "fetch_error"


class Timeout(EmbargoError):
    """Work stopped at its deadline (a service request over ``EMBARGO_REQUEST_TIMEOUT``)."""

    exit_code = 1
    http_status = 503
    code = "timeout"


class DigestMismatchError(FetchError):
    """A download's digest differs from the publisher's (or the pinned) digest."""

    code = "digest_mismatch"


class ImplausibleListError(EmbargoError):
    """A list whose publication date lies in the future: refused, nothing is stored."""

    exit_code = 3
    http_status = 422
    code = "implausible_list"


class VerificationError(EmbargoError):
    """``embargo verify`` found a digest or the log chain broken."""

    exit_code = 8
    http_status = 500
    code = "verification_failed"


class IncompleteError(EmbargoError):
    """A batch run stopped before its end (a write failed: disk full); its output is marked
    incomplete and ``--resume`` goes on from the last checkpoint."""

    exit_code = 11
    http_status = 500
    code = "incomplete"


class Interrupted(IncompleteError):
    """A batch run was stopped by Ctrl-C (SIGINT) or SIGTERM; resumable like any stop."""

    exit_code = 130
    code = "interrupted"


class ValidationError(EmbargoError):
    exit_code = 2
    http_status = 422
    code = "validation_error"


class ConflictError(EmbargoError):
    """Someone else changed the record first, or its state forbids the change (HTTP 409)."""

    exit_code = 9
    http_status = 409
    code = "conflict"


class PermissionDenied(EmbargoError):
    """The acting user's role or own earlier decision forbids the action (HTTP 403)."""

    exit_code = 10
    http_status = 403
    code = "forbidden"


def error_body(error: BaseException) -> dict[str, Any]:
    """The one JSON error body used by the CLI (``--json``) and the API."""
    if isinstance(error, EmbargoError):
        return {"error": {"code": error.code, "message": error.message, "details": error.details}}
    return {"error": {"code": "internal_error", "message": str(error) or type(error).__name__,
                      "details": {}}}
