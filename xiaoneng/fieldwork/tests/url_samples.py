import datetime as dt

from xiaoneng.accounts.models import Role
from xiaoneng.fieldwork import services


def samples(ctx) -> dict:
    """A visit by a leader of county A to county A, with the marker in what it shows."""
    marker = ctx["marker"]
    admin = ctx["admin_a"]  # the office of county A records for its leader
    leader = admin.__class__.objects.filter(username="fw_url_leader").first()
    if leader is None:
        leader = admin.__class__(
            username="fw_url_leader", unit=ctx["county_a"], name=f"{marker}领导"
        )
        leader.set_unusable_password()
        leader.save(actor=admin)
        leader.roles.set(Role.for_codes(["leader"]))
    visit = services.record_visit(
        actor=admin,
        leader=leader,
        start_date=dt.date.today(),
        end_date=dt.date.today(),
        places=[ctx["county_a"]],
        met=f"{marker}座谈对象",
        notes=f"{marker}情况",
        findings=[f"{marker}发现的问题", f"{marker}另一问题"],
    )
    finding = visit.findings.order_by("order").first()
    return {
        "fieldwork:visit_detail": {"pk": visit.pk},
        "fieldwork:visit_edit": {"pk": visit.pk},
        "fieldwork:finding_add": {"pk": visit.pk},
        "fieldwork:finding_to_item": {"pk": finding.pk},
        "api-visit-detail": {"pk": visit.pk},
        "api-visit-findings": {"pk": visit.pk},
        "api-finding-detail": {"pk": finding.pk},
        "api-finding-to-item": {"pk": finding.pk},
    }
