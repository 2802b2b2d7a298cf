from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "hbm.registration"
    label = "registration"
