"""Organisations, users, roles, device tokens and sign-in."""
