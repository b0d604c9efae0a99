from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xiaoneng.core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Signal handlers, system checks, the <id:> URL converter, the `id IN` lookup.
        from xiaoneng.core import audit, checks, converters, lookups  # noqa: F401
