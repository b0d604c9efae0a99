import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import negative, services
from xiaoneng.supervision.models import Behaviour


def samples(ctx) -> dict:
    marker = ctx["marker"]
    item = services.assign_item(
        actor=ctx["supervisor"],
        kind="problem",
        title=f"{marker}问题",
        description=f"{marker}描述",
        lead_unit=ctx["county_a"],
        deadline=dt.date.today() + dt.timedelta(days=30),
        files=[SimpleUploadedFile(f"{marker}.txt", f"{marker} 附件".encode())],
    )
    att = item.attachments.first()
    behaviour = Behaviour.objects.first() or Behaviour.objects.create(name="推诿扯皮", actor=SYSTEM)
    violation = negative.record_violation(
        actor=ctx["supervisor"],
        behaviour=behaviour,
        unit=ctx["county_a"],
        person_name=f"{marker}某某",
        date=dt.date.today(),
        facts=f"{marker}事实",
        action="reminder",
    )
    ctx["sup_item"] = item
    return {
        "supervision:item_detail": {"pk": item.pk},
        "supervision:item_edit": {"pk": item.pk},
        "supervision:item_action": {"pk": item.pk, "action": "acknowledge"},
        "supervision:item_urge": {"pk": item.pk},
        "supervision:item_decompose": {"pk": item.pk},
        "supervision:attachment_download": {"pk": att.pk},
        "supervision:violation_detail": {"pk": violation.pk},
        "supervision:violation_publish": {"pk": violation.pk},
        "supervision:behaviour_edit": {"pk": behaviour.pk},
        "api-item-detail": {"pk": item.pk},
        "api-item-transitions": {"pk": item.pk},
        "api-item-progress": {"pk": item.pk},
        "api-item-urges": {"pk": item.pk},
        "api-item-children": {"pk": item.pk},
        "api-violation-detail": {"pk": violation.pk},
    }
