"""The coalition's web pages: one more adapter over the core (docs/web.md)."""

from adapters.web.app import web_application

__all__ = ["web_application"]
