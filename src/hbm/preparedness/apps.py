from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    name = "hbm.preparedness"
    label = "preparedness"
