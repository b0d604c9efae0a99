"""The contract with the supervision module: one click raises a problem item on a project."""

from urllib.parse import urlencode

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from xiaoneng.core import policy


def can_raise_problem(user, project) -> bool:
    """May `user` raise a problem item on `project`: the supervision module's rule for
    assigning to the project's lead unit (Unit "assign")."""
    try:
        return policy.can(user, "assign", project.lead_unit)
    except ImproperlyConfigured:  # the supervision module is not installed: no such rule
        return False


def problem_item_url(
    project, *, warnings: list[str] | None = None, difficulties: str = ""
) -> str | None:
    """The supervision module's "new item" page, prefilled; None while that page does not exist.

    The lead unit is the project's county, or its prefecture when it has no county.
    """
    try:
        base = reverse("supervision:item_create")
    except NoReverseMatch:
        return None
    lines = [
        _("项目编号：%s") % project.code,
        _("项目名称：%s") % project.name,
        _("包保领导：%s") % (project.leader_in_charge or "—"),
    ]
    if warnings:
        lines.append(_("预警：%s") % "；".join(warnings))
    if difficulties:
        lines.append(_("困难问题：%s") % difficulties)
    params = {
        "kind": "problem",
        "lead_unit": project.lead_unit.pk,
        "title": _("重大项目问题：%s") % project.name,
        "description": "\n".join(lines),
        "source": "inspection",
        "ref": f"projects.project:{project.pk}",
    }
    return f"{base}?{urlencode(params)}"
