"""The navigation of the UI shell. Each module declares its entries in its AppConfig:

    class ProjectsConfig(AppConfig):
        nav = [NavEntry("重大项目", "projects:dashboard", order=30)]

The shell lists the entries of installed apps only, so a module that does not exist
shows no link, and a new one slots in without touching the shell.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str  # or a lazy translation
    url_name: str
    order: int = 50
    # Roles that see the entry; empty means every staff member.
    roles: frozenset[str] = field(default_factory=frozenset)
    # True for entries residents use (community co-governance).
    for_residents: bool = False

    def visible_to(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if not user.is_staff_member:
            return self.for_residents and user.has_role("resident")
        return not self.roles or user.has_role(*self.roles)


def entries_for(user, current_path: str = "") -> list[dict]:
    found = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "nav", ()):
            if not entry.visible_to(user):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            found.append((entry.order, str(entry.label), url))
    found.sort()
    return [
        {
            "label": label,
            "url": url,
            "active": (url != "/" and current_path.startswith(url)) or url == current_path,
        }
        for _, label, url in found
    ]
