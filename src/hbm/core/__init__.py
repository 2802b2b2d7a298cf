"""Shared kernel: base model, errors, encrypted fields, request context."""
