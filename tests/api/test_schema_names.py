"""Django Ninja names an OpenAPI component after its schema's class name alone: two apps each with
a ``ResultOut`` would silently share one component, and one app's responses would be documented
(and validated) with the other's fields. Every schema class of the API has its own name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

import pytest
from ninja import Schema

import hbm


def _api_schemas() -> dict[str, set[str]]:
    """Class name → the modules that define a Ninja schema of that name, over every HBM module."""
    defined: dict[str, set[str]] = defaultdict(set)
    for module_info in pkgutil.walk_packages(hbm.__path__, "hbm."):
        name = module_info.name
        if ".migrations" in name or name.startswith(("hbm.engines", "hbm.bench", "hbm.cli")):
            continue
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls is not Schema and cls.__module__ == name:
                defined[cls_name].add(name)
    return defined


@pytest.mark.django_db
def test_every_api_schema_has_its_own_class_name() -> None:
    defined = _api_schemas()
    assert len(defined) > 50  # the walk found the apps' schemas
    clashes = {name: sorted(modules) for name, modules in defined.items() if len(modules) > 1}
    assert not clashes, clashes
