from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "hbm.health"
    label = "health"
