from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hbm.audit"
    label = "audit"
