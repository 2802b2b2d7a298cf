from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hbm.web"
    label = "web"
