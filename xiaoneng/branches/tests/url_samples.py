import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.branches import services
from xiaoneng.conftest import make_unit
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Kind, Level, PartyBranch

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def samples(ctx) -> dict:
    marker = ctx["marker"]
    county = ctx["county_a"]
    street = make_unit("530112100", f"{marker}街道", Level.TOWNSHIP, county, kind=Kind.STREET)
    community = make_unit(
        "530112100001", f"{marker}社区", Level.COMMUNITY, street, kind=Kind.COMMUNITY
    )
    organ = PartyBranch.objects.create(unit=county, name=f"{marker}机关党支部", actor=SYSTEM)
    local = PartyBranch.objects.create(unit=community, name=f"{marker}社区党支部", actor=SYSTEM)
    pairing = services.create_pairing(
        actor=SYSTEM,
        organ_branch=organ,
        community_branch=local,
        started_on=dt.date(2024, 1, 1),
        notes=f"{marker}共建",
    )
    activity = services.record_activity(
        actor=SYSTEM,
        kind="joint_study",
        title=f"{marker}联学联建",
        date=dt.date(2024, 5, 10),
        branches=[organ, local],
        notes=f"{marker}内容",
        photos=[SimpleUploadedFile(f"{marker}.png", PNG)],
    )
    photo = activity.photos.get()
    ctx["branch_organ"], ctx["branch_community"] = organ, local
    return {
        "branches:branch_detail": {"pk": organ.pk},
        "branches:pairing_end": {"pk": pairing.pk},
        "branches:activity_detail": {"pk": activity.pk},
        "branches:activity_edit": {"pk": activity.pk},
        "branches:activity_delete": {"pk": activity.pk},
        "branches:photo_download": {"pk": photo.pk},
        "api-branch-pairing-detail": {"pk": pairing.pk},
        "api-branch-pairing-end": {"pk": pairing.pk},
        "api-branch-activity-detail": {"pk": activity.pk},
    }
