from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xiaoneng.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from xiaoneng.core import audit, checks  # noqa: F401  (signal handlers, system checks)
