"""The navigation of the UI shell. Each module declares its entries in its AppConfig:

    class ProjectsConfig(AppConfig):
        nav = [NavEntry("重大项目", "projects:dashboard", order=30, model="projects.Project")]

An entry shows when the user may take its `action` (core.policy): on some row of `model`
("app_label.Model"; `policy.can_any`, the role gate only, no query), or, without a model, the
action on no row (`policy.can`). The shell lists the entries of installed apps only, so a
module that does not exist shows no link, and a new one slots in without touching the shell.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from xiaoneng.core import policy


@dataclass(frozen=True)
class NavEntry:
    label: str  # or a lazy translation
    url_name: str
    order: int = 50
    action: str = "view"
    model: str | None = None  # "app_label.Model"; None: `action` is an action on no row

    def shown_to(self, user) -> bool:
        if self.model is None:
            return policy.can(user, self.action)
        return policy.can_any(user, self.action, apps.get_model(self.model))


def entries_for(user, current_path: str = "") -> list[dict]:
    found = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "nav", ()):
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            if not entry.shown_to(user):
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
