from xiaoneng.conftest import make_unit
from xiaoneng.units.models import Level, Unit


def test_an_admin_restores_a_deleted_unit(client_for, admin_a, county_a):
    street = make_unit("530112003", "马街街道", Level.TOWNSHIP, county_a)
    street.delete()
    client = client_for(admin_a)
    assert "马街街道" in client.get("/trash/").content.decode()
    response = client.post(f"/trash/units.unit/{street.pk}/restore/")
    assert response.status_code == 302
    assert Unit.objects.filter(pk=street.pk).exists()


def test_a_handler_cannot_open_the_trash(client_for, handler_a):
    assert client_for(handler_a).get("/trash/").status_code == 403


def test_an_admin_cannot_restore_outside_the_subtree(client_for, admin_a, county_b):
    street = make_unit("530102001", "华山街道", Level.TOWNSHIP, county_b)
    street.delete()
    client = client_for(admin_a)
    assert "华山街道" not in client.get("/trash/").content.decode()
    assert client.post(f"/trash/units.unit/{street.pk}/restore/").status_code == 404
    assert not Unit.objects.filter(pk=street.pk).exists()
