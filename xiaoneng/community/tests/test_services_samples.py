"""The URL walk's objects (samples_base) build through the services, twice over one database."""

from xiaoneng.community.models import MatterStatus
from xiaoneng.community.tests.samples_base import base_objects


def test_base_objects_build_every_state_once(url_ctx, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        base = base_objects(url_ctx)
    again = base_objects(url_ctx)
    assert {k: getattr(v, "pk", v) for k, v in base.items() if k != "residents"} == {
        k: getattr(v, "pk", v) for k, v in again.items() if k != "residents"
    }
    assert base["matter"].status == MatterStatus.RAISED
    assert base["listed"].status == MatterStatus.LISTED
    assert base["handling"].status == MatterStatus.HANDLING
    assert base["closed"].status == MatterStatus.CLOSED
    assert base["referred"].status == MatterStatus.REFERRED
    assert base["referred"].item is not None
    assert base["referred"].item.lead_unit == base["street"]
    assert base["photo"].public
    assert base["reply"].reply_to == base["comment"]
    assert base["progress"].photos.count() == 1
    assert base["closed"].ratings.count() == 1
    marker = url_ctx["marker"]
    for key in ("matter", "listed", "handling", "closed", "referred"):
        assert marker in base[key].title and marker in base[key].description
    for text in (
        base["comment"].text,
        base["reply"].text,
        base["progress"].text,
        base["deliberation"].minutes,
        base["group"].name,
        base["invitation"].note,
    ):
        assert marker in text
