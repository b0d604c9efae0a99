"""System checks that catch a production misconfiguration before it serves anyone."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production(app_configs, **kwargs):
    problems = []
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
