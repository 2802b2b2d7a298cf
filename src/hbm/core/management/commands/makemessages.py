"""``makemessages`` that also finds the strings marked ``_lazy(...)``.

The code imports ``gettext_lazy as _lazy`` where a module already uses ``_`` for ``gettext``
(labels built at import time, translated when shown). xgettext knows ``gettext_lazy`` and ``_`` but
not that alias: without this keyword those strings were missing from the extraction, and a run with
``--no-obsolete`` would drop their translations from the catalogs.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
