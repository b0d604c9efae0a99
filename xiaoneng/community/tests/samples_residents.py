"""Joining a community, for the URL walk: the public sign-up (page and API), and the staff's
pages of invitations and residents. The one route with an argument revokes 永兴路社区's
invitation code: the outsider (a handler of county B) gets a 404 for it."""

PUBLIC = {"community_residents:join", "api-join"}


def _invitation(ctx):
    """An invitation of a county-A community, when the base objects have none."""
    import datetime as dt

    from django.utils import timezone

    from xiaoneng.community.models import Invitation
    from xiaoneng.core.policy import SYSTEM
    from xiaoneng.units.models import Kind, Level, Unit

    def unit(code, name, level, parent, kind):
        found = Unit.objects.filter(code=code).first()
        if found is None:
            found = Unit(code=code, name=name, level=level, parent=parent, kind=kind)
            found.save(actor=SYSTEM)
        return found

    street = unit("530112007", "永昌街道", Level.TOWNSHIP, ctx["county_a"], Kind.STREET)
    community = unit("530112007001", "永兴路社区", Level.COMMUNITY, street, Kind.COMMUNITY)
    invitation = Invitation.objects.filter(code="YXRESWALK").first()
    if invitation is None:
        invitation = Invitation(
            community=community,
            code="YXRESWALK",
            note=f"{ctx['marker']}3 栋",
            expires_at=timezone.now() + dt.timedelta(days=30),
            max_uses=10,
        )
        invitation.save(actor=SYSTEM)
    return invitation


def samples(ctx, base) -> dict:
    invitation = base.get("invitation") or _invitation(ctx)
    return {"community_residents:invitation_revoke": {"pk": invitation.pk}}
