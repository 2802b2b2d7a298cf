"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbm.config.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL map) lives as long as the worker: moving it
# out of the garbage collector's reach keeps full collections short (they cost 50–60 ms per
# sync batch at p95 before; see benchmarks/RESULTS.md).
gc.freeze()
