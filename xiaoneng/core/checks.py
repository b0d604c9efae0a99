"""System checks that catch a production misconfiguration before it serves anyone."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production(app_configs, **kwargs):
    problems: list[CheckMessage] = []
    if settings.DEBUG:
        problems.append(
            Error(
                "XIAONENG_DEBUG is on.",
                hint="Unset XIAONENG_DEBUG in production.",
                id="xiaoneng.E001",
            )
        )
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        problems.append(
            Warning(
                "SQLite is in use.",
                hint="Set DATABASE_URL to PostgreSQL for more than one app server.",
                id="xiaoneng.W001",
            )
        )
    if not settings.HTTPS:
        problems.append(
            Warning(
                "XIAONENG_HTTPS is off: cookies are sent without the Secure flag.",
                hint="Serve over TLS and set XIAONENG_HTTPS=true.",
                id="xiaoneng.W002",
            )
        )
    if set(settings.ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
        problems.append(
            Warning(
                "XIAONENG_ALLOWED_HOSTS lists only this machine.",
                hint="Set XIAONENG_ALLOWED_HOSTS to the host names users type.",
                id="xiaoneng.W003",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(Error("XIAONENG_ALLOWED_HOSTS contains '*'.", id="xiaoneng.E002"))
    return problems


@register(Tags.database)
def check_data_dir(app_configs, **kwargs):
    data_dir = settings.DATA_DIR
    if data_dir.exists() and not data_dir.is_dir():
        return [Error(f"XIAONENG_DATA_DIR {data_dir} is not a directory.", id="xiaoneng.E003")]
    return []


@register(Tags.security, deploy=True)
def check_several_servers(app_configs, **kwargs):
    """DATABASE_URL is how more than one app server shares the data: then each server must
    have the same secret key and see the same uploads. Nothing tells how many servers run,
    so the signal is the database: on DATABASE_URL (PostgreSQL) the key must come from the
    environment, and uploads left in the data directory are likely on one server's disk."""
    import os

    if not settings.DATABASE_URL:
        return []
    problems = []
    if not os.environ.get("XIAONENG_SECRET_KEY"):
        problems.append(
            Warning(
                "DATABASE_URL is set but XIAONENG_SECRET_KEY is not: each app server makes "
                "its own key in its data directory, so sessions, sign-in forms and tokens "
                "made by one server fail on another.",
                hint="Set XIAONENG_SECRET_KEY to one long random value on every server.",
                id="xiaoneng.W004",
            )
        )
    media = settings.MEDIA_ROOT
    if not os.environ.get("XIAONENG_MEDIA_ROOT") and media.is_relative_to(settings.DATA_DIR):
        problems.append(
            Warning(
                f"Uploads are stored in the data directory ({media}), on this server's disk: "
                "with several app servers, a file uploaded through one is missing on the "
                "others.",
                hint="Set XIAONENG_MEDIA_ROOT to a directory every app server and worker "
                "shares (e.g. an NFS mount); with a single server, set it to this directory "
                "to say so.",
                id="xiaoneng.W005",
            )
        )
    return problems


@register()
def check_thresholds(app_configs, **kwargs):
    """Every app's thresholds (core/thresholds.py): parseable, in range, yellow before red."""
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    from xiaoneng.core.thresholds import REGISTRY

    for config in apps.get_app_configs():
        if config.name.startswith("xiaoneng.") and module_has_submodule(config.module, "conf"):
            import_module(f"{config.name}.conf")  # registers its thresholds
    return [
        Error(problem, hint="See README, Configuration.", id="xiaoneng.E004")
        for thresholds in REGISTRY.values()
        for problem in thresholds.problems()
    ]
