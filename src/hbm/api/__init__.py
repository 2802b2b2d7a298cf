"""The JSON API: mounts every app's router; no app imports this package."""
