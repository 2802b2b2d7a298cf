from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "hbm.tracing"
    label = "tracing"
