"""The analyst's web console, served by ``embargo serve`` under ``/ui``.

Server-rendered HTML (Jinja2) over the library: users sign in with a password (argon2), a
session cookie (HttpOnly, SameSite=Lax, Secure over https) carries the session, every form
carries the session's CSRF token. See ``docs/console.md``.
"""
