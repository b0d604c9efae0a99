import datetime as dt

from xiaoneng.brevity import services


def samples(ctx) -> dict:
    marker = ctx["marker"]
    meeting = services.save_meeting(
        None,
        actor=ctx["handler_a"],
        organiser=ctx["county_a"],
        kind="plenary",
        title=f"{marker}会议",
        date=dt.date.today(),
        days=1,
        planned_minutes=300,
        actual_minutes=None,
        mode="onsite",
        attendees=10,
        speeches=[{"speaker": f"{marker}讲话人", "role": "main", "minutes": 75}],
    )
    document = services.save_document(
        None,
        actor=ctx["handler_a"],
        unit=ctx["county_a"],
        kind="通知",
        title=f"{marker}通知",
        date=dt.date.today(),
        chars=6000,
        single_task=False,
    )
    return {
        "brevity:meeting_detail": {"pk": meeting.pk},
        "brevity:meeting_edit": {"pk": meeting.pk},
        "brevity:meeting_delete": {"pk": meeting.pk},
        "brevity:document_detail": {"pk": document.pk},
        "brevity:document_edit": {"pk": document.pk},
        "brevity:document_delete": {"pk": document.pk},
        "api-meeting-detail": {"pk": meeting.pk},
        "api-document-detail": {"pk": document.pk},
    }
