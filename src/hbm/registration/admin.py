"""Registration data is personal data: the admin site does not show it (need to know, audit)."""
