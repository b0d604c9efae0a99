"""The workbench (工作台), the home page: per role, live counters that link to the lists
they count. Each module declares where its counters come from in its AppConfig:

    class SupervisionConfig(AppConfig):
        workbench = "xiaoneng.supervision.workbench.panels"

That function takes the user and returns the Panels the user should see (none when the
module has nothing for them). A counter's `url` opens exactly the rows it counts: the
module builds both from the same filter (its FilterSet), and the tests hold them equal.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Counter:
    label: str
    count: int
    url: str
    # "danger": overdue or red (shown in red with its word, never by colour alone);
    # "warn": due soon or sent back; "": the rest.
    tone: str = ""
    hint: str = ""  # one short line under the number, e.g. the deadline


@dataclass(frozen=True)
class Panel:
    title: str
    counters: list[Counter] = field(default_factory=list)
    # Optional: a template rendered under the counters (a short list of the most urgent
    # rows, the KPIs of a scope), with `context` as its context (and the request's).
    template: str = ""
    context: dict = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    order: int = 50


def panels_for(user) -> list[Panel]:
    found: list[Panel] = []
    for config in apps.get_app_configs():
        path = getattr(config, "workbench", None)
        if path:
            found.extend(import_string(path)(user))
    return sorted(found, key=lambda panel: panel.order)
