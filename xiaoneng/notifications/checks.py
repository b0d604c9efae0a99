"""System checks of the notification settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_site_url(app_configs, **kwargs):
    """XIAONENG_SITE_URL, when set, must be an address links can start with."""
    url = settings.SITE_URL
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc or parts.query):
        return [
            Error(
                f"XIAONENG_SITE_URL={url!r} is not the address of the site.",
                hint="Set it to what users open, e.g. https://xiaoneng.example.gov.cn",
                id="notifications.E001",
            )
        ]
    return []
