from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _search_index_ensure(*, using: str, **_: Any) -> None:
    from hbm.registration.search_index import search_index_ensure

    search_index_ensure(connections[using])


class RegistrationConfig(AppConfig):
    name = "hbm.registration"
    label = "registration"

    def ready(self) -> None:
        # The trigram index is not a model: made (or rebuilt) after every migrate, see search_index.
        post_migrate.connect(_search_index_ensure, sender=self, dispatch_uid="registration-search-index")
