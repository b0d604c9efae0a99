from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xiaoneng.core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Signal handlers, system checks, the <id:> URL converter, the `id IN` lookup.
        # Every app's permission rules (its `policy.py`): core.policy.
        from django.utils.module_loading import autodiscover_modules

        from xiaoneng.core import audit, checks, converters, lookups  # noqa: F401

        autodiscover_modules("policy")
