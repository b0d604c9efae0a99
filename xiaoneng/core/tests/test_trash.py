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


def test_an_admin_cannot_give_a_peer_supervisor_back_their_roles(
    client_for, admin_a, county_a, handler_a
):
    """Restoring a person gives their roles back: a county's own 效能办 comes back only from
    the level above, like a grant; a handler the admin manages comes back as before."""
    from xiaoneng.accounts.models import User
    from xiaoneng.conftest import make_user

    peer = make_user("xs_xn", county_a, "supervisor", name="县效能办")
    peer.delete()
    handler_a.delete()
    client = client_for(admin_a)
    response = client.post(f"/trash/accounts.user/{peer.pk}/restore/")
    assert response.status_code == 403
    assert "上一级恢复" in response.content.decode()
    assert not User.objects.filter(pk=peer.pk).exists()
    assert client.post(f"/trash/accounts.user/{handler_a.pk}/restore/").status_code == 302
    assert User.objects.filter(pk=handler_a.pk, is_active=True).exists()
