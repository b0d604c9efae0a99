"""A resident's phone number is shown masked (138****0000) everywhere except to the resident
themself and their community's own staff (accounts/privacy.py): the person's page, its
change history and edit form, the people export (which imports back unchanged), the API."""

import io

import openpyxl
import pytest
from django.urls import reverse

from xiaoneng.accounts import services
from xiaoneng.accounts.models import User
from xiaoneng.accounts.privacy import mask_phone, shown_phone, unmasked
from xiaoneng.core.versioning import version_of

pytestmark = pytest.mark.django_db

WHOLE = "13800000000"  # resident_a's
MASKED = "138****0000"


def test_mask_phone():
    assert mask_phone("13800000000") == "138****0000"
    assert mask_phone("0871-12345678") == "087****5678"
    assert mask_phone("") == "" and mask_phone("12345") == "****"
    assert unmasked("138****0000", "13800000000") == "13800000000"
    assert unmasked("139****0000", "13800000000") == "139****0000"  # refused by the form
    assert unmasked("13900000000", "13800000000") == "13900000000"


def test_who_sees_a_residents_phone_whole(
    resident_a, residents_a, staff_a, street_staff, resident_b
):
    assert shown_phone(resident_a, resident_a) == WHOLE  # themself
    assert shown_phone(staff_a, resident_a) == WHOLE  # their community's staff
    assert shown_phone(street_staff, resident_a) == MASKED  # the street above
    assert shown_phone(residents_a[1], resident_a) == MASKED  # a neighbour
    assert shown_phone(resident_b, resident_a) == MASKED
    assert shown_phone(None, resident_a) == MASKED
    # A cadre's phone is their office's contact: shown as before.
    assert shown_phone(street_staff, staff_a) == "13900000001"


def test_the_persons_page(client_for, resident_a, staff_a, street_staff):
    url = reverse("accounts:user_detail", args=[resident_a.pk])
    page = client_for(street_staff).get(url).content.decode()
    assert MASKED in page and WHOLE not in page  # nor in the change history
    page = client_for(staff_a).get(url).content.decode()
    assert WHOLE in page


def test_the_edit_form_shows_the_mask_and_keeps_the_number(client_for, resident_a, street_staff):
    client = client_for(street_staff)
    url = reverse("accounts:user_edit", args=[resident_a.pk])
    page = client.get(url).content.decode()
    assert f'value="{MASKED}"' in page and WHOLE not in page
    data = {
        "version": version_of(resident_a),
        "name": "冯大爷",
        "unit": resident_a.unit_id,
        # The resident role is kept without being offered (the street grants none).
        "phone": MASKED,
        "email": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    resident_a.refresh_from_db()
    assert (resident_a.name, resident_a.phone) == ("冯大爷", WHOLE)
    # A form sent back with an error shows the mask, not the number.
    data["version"] = version_of(resident_a)
    response = client.post(url, {**data, "email": "not-an-address"})
    assert response.status_code == 200
    assert WHOLE not in response.content.decode()


def test_a_stale_edit_names_the_new_phone_masked(client_for, resident_a, staff_a, street_staff):
    """The street's form was read before the community's staff changed the phone: the
    refusal says who changed what, with the number masked for the street."""
    version = version_of(resident_a)
    services.update_user(User.objects.get(pk=resident_a.pk), actor=staff_a, phone="13912345678")
    data = {"version": version, "name": "冯大爷", "unit": resident_a.unit_id}
    client = client_for(street_staff)
    page = client.post(reverse("accounts:user_edit", args=[resident_a.pk]), data)
    text = page.content.decode()
    assert "已被他人修改" in text and "李社区" in text
    assert "139****5678" in text and "13912345678" not in text and WHOLE not in text
    # The old mask sent back is no number: the field says why, not "格式不对".
    page = client.post(
        reverse("accounts:user_edit", args=[resident_a.pk]), {**data, "phone": MASKED}
    )
    assert "与现在登记的号码不符（可能已被他人修改）" in page.content.decode()
    # The community's own staff see the number whole in the same refusal.
    mine = client_for(staff_a).post(reverse("accounts:user_edit", args=[resident_a.pk]), data)
    assert "13912345678" in mine.content.decode()


def export_rows(client) -> dict[str, list]:
    content = client.get(reverse("accounts:user_export")).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return {row[0]: row for row in rows[1:]}, content


def test_the_export_and_its_round_trip(client_for, residents_a, resident_a, staff_a, street_staff):
    rows, content = export_rows(client_for(street_staff))
    assert rows[resident_a.username][5] == MASKED
    assert rows[staff_a.username][5] == "13900000001"
    assert WHOLE.encode() not in content
    # Imported back by the street: the masked numbers change nothing.
    result = services.import_users(io.BytesIO(content), actor=street_staff)
    assert result.created == [] and result.updated == []
    assert User.objects.get(pk=resident_a.pk).phone == WHOLE
    # A new number typed over the mask is an update.
    book = openpyxl.load_workbook(io.BytesIO(content))
    for row in book.active.iter_rows(min_row=2):
        if row[0].value == resident_a.username:
            row[5].value = "13712345678"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    result = services.import_users(buffer, actor=street_staff)
    assert result.updated == [resident_a.username]
    assert User.objects.get(pk=resident_a.pk).phone == "13712345678"

    rows, _content = export_rows(client_for(staff_a))
    assert rows[residents_a[1].username][5] == "13800000001"  # the community's staff: whole


def test_the_api_shows_the_resident_their_own(client_for, resident_a):
    body = client_for(resident_a).get("/api/me/").json()
    assert body["phone"] == WHOLE


def test_the_residents_page_is_the_staffs_and_shows_whole_numbers(
    client_for, residents_a, staff_a, street_staff, resident_b
):
    url = reverse("community_residents:residents")
    assert WHOLE in client_for(staff_a).get(url).content.decode()
    for person in (street_staff, resident_b, residents_a[1]):
        response = client_for(person).get(url)
        assert response.status_code == 403 and WHOLE not in response.content.decode()
