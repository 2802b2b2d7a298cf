from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hbm.core"
    label = "core"
