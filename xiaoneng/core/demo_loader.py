"""Loads the demo data of every installed app that has a `demo` module with `load(ctx)`.

Apps run in INSTALLED_APPS order, sharing one dict (units, users …). Each loader
is idempotent: running the demo twice creates no duplicates.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

from xiaoneng.core.context import operation


def demo_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("xiaoneng.") and find_spec(f"{config.name}.demo"):
            yield import_module(f"{config.name}.demo")


@transaction.atomic
def load_all() -> dict:
    ctx: dict = {}
    with operation():
        for module in demo_modules():
            module.load(ctx)
    return ctx
