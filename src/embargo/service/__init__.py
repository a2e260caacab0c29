"""The screening HTTP service: yente-compatible and native endpoints, keys, audit trail."""

from embargo.service.app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]
