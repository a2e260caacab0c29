"""The screening HTTP service: yente-compatible and native endpoints, keys, audit trail.

The app lives in :mod:`embargo.service.app` (``create_app``, ``app_from_env``);
this package imports nothing eagerly, so that ``embargo keys`` stays light.
"""
