from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hbm.accounts"
    label = "accounts"
