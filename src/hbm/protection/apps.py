from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "hbm.protection"
    label = "protection"
