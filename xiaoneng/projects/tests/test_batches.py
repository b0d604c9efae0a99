"""开工批次 pages: every staff member reads them, only the province's 效能办 edits them."""

import datetime as dt

import pytest

from xiaoneng.conftest import make_user
from xiaoneng.core.models import ChangeLog
from xiaoneng.core.versioning import version_of


@pytest.fixture
def url(batch):
    return f"/projects/batches/{batch.pk}/"


def test_it_lists_the_batches_with_their_projects(client_for, handler_b, batch, make_project,
                                                   county_a):  # fmt: skip
    make_project("P1", county=county_a)
    page = client_for(handler_b).get("/projects/batches/").content.decode()
    assert "2022Q2" in page and "2022-06-08" in page
    assert f'href="/projects/batches/{batch.pk}/"' not in page  # no edit link for a handler


def test_the_province_edits_name_and_ceremony_date(client_for, province_supervisor, batch, url):
    client = client_for(province_supervisor)
    assert f'href="{url}"' in client.get("/projects/batches/").content.decode()
    data = {"name": "2022年第2季度集中开工", "ceremony_date": "2022/6/18"}
    response = client.post(url, {**data, "version": version_of(batch)})
    assert response.status_code == 302 and response["Location"] == "/projects/batches/"
    batch.refresh_from_db()
    assert (batch.name, batch.ceremony_date) == ("2022年第2季度集中开工", dt.date(2022, 6, 18))
    log = ChangeLog.objects.filter(
        content_type__model="batch", object_id=batch.pk, action="update"
    ).get()
    assert (
        log.before["ceremony_date"] == "2022-06-08" and log.after["ceremony_date"] == "2022-06-18"
    )


def test_a_bad_date_is_refused_on_the_form(client_for, province_supervisor, batch, url):
    response = client_for(province_supervisor).post(url, {"name": "", "ceremony_date": "6月8号"})
    assert response.status_code == 200 and "无法识别的日期" in response.content.decode()
    batch.refresh_from_db()
    assert batch.ceremony_date == dt.date(2022, 6, 8)


@pytest.mark.parametrize("role", ["supervisor", "unit_admin", "viewer"])
def test_no_one_else_edits_a_batch(client_for, prefecture, batch, url, role, handler_a):
    for user in (make_user(f"km_{role}", prefecture, role), handler_a):
        client = client_for(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "x", "ceremony_date": "2022-01-01"}).status_code == 403
    batch.refresh_from_db()
    assert batch.ceremony_date == dt.date(2022, 6, 8) and batch.name == ""
