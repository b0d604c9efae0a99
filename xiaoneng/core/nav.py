"""The navigation of the UI shell. Each module declares its entries in its AppConfig:

    class ProjectsConfig(AppConfig):
        nav = [NavEntry("重大项目", "projects:dashboard", order=30, model="projects.Project")]

An entry may show a number beside its label (the unread messages): `count`, the dotted path
of a function of the user returning it, and `count_text`, what the number means in words
for a screen reader ("%(n)s 条未读"). Keep it one indexed query: it runs on every page.

An entry shows when the user may take its `action` (core.policy): on some row of `model`
("app_label.Model"; `policy.can_any`, the role gate only, no query), or, without a model, the
action on no row (`policy.can`). The shell lists the entries of installed apps only, so a
module that does not exist shows no link, and a new one slots in without touching the shell.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from xiaoneng.core import policy


@dataclass(frozen=True)
class NavEntry:
    label: str  # or a lazy translation
    url_name: str
    order: int = 50
    action: str = "view"
    model: str | None = None  # "app_label.Model"; None: `action` is an action on no row
    count: str | None = None  # "module.function": function(user) -> int, shown beside the label
    count_text: str = ""  # the number in words, e.g. "%(n)s 条未读" (or a lazy translation)

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
            found.append((entry.order, str(entry.label), url, entry))
    found.sort(key=lambda f: f[:3])
    current = current_entry([url for _, _, url, _ in found], current_path)
    return [
        {"label": label, "url": url, "active": url == current, **_count(entry, user)}
        for _, label, url, entry in found
    ]


def _count(entry: NavEntry, user) -> dict:
    if entry.count is None:
        return {}
    n = import_string(entry.count)(user)
    return {"count": n, "count_text": str(entry.count_text) % {"n": n} if n else ""}


def current_entry(urls: list[str], path: str) -> str | None:
    """The one entry that marks the page: the longest entry URL the path lies under
    (/supervision/negative/3/ marks 负面清单, not 督查督办 as well). The home page ("/")
    is marked by the shell itself, on "/" only."""
    under = [u for u in urls if u != "/" and (path == u or path.startswith(u.rstrip("/") + "/"))]
    return max(under, key=len) if under else None
