"""The module's own menu (community/_nav.html), on every page of it: matters, council
meetings, and for the community's staff the groups, reports, residents and codes; the
statistics for whoever sees units' figures; the public board of the user's community."""

from xiaoneng.community.models import Matter, Report
from xiaoneng.core import policy
from xiaoneng.units.models import Unit


def sees_stats(user) -> bool:
    """The statistics are the staff's: whoever may see matters and units (a resident sees
    matters of their community but no unit's figures)."""
    return policy.can_any(user, "view", Matter) and policy.can_any(user, "view", Unit)


def module_nav(user) -> dict:
    """What the menu needs: the staff's entries (groups, reports and how many wait,
    residents, codes), the statistics, the user's board."""
    runs = policy.can_any(user, "run_community", Unit)
    return {
        "nav_runs": runs,
        "nav_reports": (
            Report.objects.restrict(user, "view").filter(handled_at__isnull=True).count()
            if runs
            else 0
        ),
        "nav_home": Unit.objects.restrict(user, "raise_matter").only("code").first(),
        "nav_stats": sees_stats(user),
    }
