"""Wiring only: settings, URLs, WSGI."""
