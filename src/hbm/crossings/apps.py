from django.apps import AppConfig


class CrossingsConfig(AppConfig):
    name = "hbm.crossings"
    label = "crossings"
