from xiaoneng.conftest import make_unit
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Level, Unit


def test_an_admin_restores_a_deleted_unit(client_for, admin_a, county_a):
    street = make_unit("530112003", "马街街道", Level.TOWNSHIP, county_a)
    street.delete(actor=SYSTEM)
    client = client_for(admin_a)
    assert "马街街道" in client.get("/trash/").content.decode()
    response = client.post(f"/trash/units.unit/{street.pk}/restore/")
    assert response.status_code == 302
    assert Unit.objects.filter(pk=street.pk).exists()


def test_a_handler_cannot_open_the_trash(client_for, handler_a):
    assert client_for(handler_a).get("/trash/").status_code == 403


def test_an_admin_cannot_restore_outside_the_subtree(client_for, admin_a, county_b):
    street = make_unit("530102001", "华山街道", Level.TOWNSHIP, county_b)
    street.delete(actor=SYSTEM)
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
    peer.delete(actor=SYSTEM)
    handler_a.delete(actor=SYSTEM)
    client = client_for(admin_a)
    response = client.post(f"/trash/accounts.user/{peer.pk}/restore/")
    assert response.status_code == 403
    assert "上一级恢复" in response.content.decode()
    assert not User.objects.filter(pk=peer.pk).exists()
    assert client.post(f"/trash/accounts.user/{handler_a.pk}/restore/").status_code == 302
    assert User.objects.filter(pk=handler_a.pk, is_active=True).exists()


def test_the_trash_lists_only_what_the_user_may_restore(client_for, admin_a, county_a, prefecture):
    """The list and its buttons agree (core.policy "restore"): a county admin is not offered
    a peer 效能办 they may not bring back; the prefecture's 效能办, who appoints there, is."""
    from xiaoneng.conftest import make_user

    peer = make_user("xs_xn", county_a, "supervisor", name="县效能办")
    peer.delete(actor=SYSTEM)
    handler = make_user("xs_cb2", county_a, "handler", name="被删承办人")
    handler.delete(actor=SYSTEM)
    page = client_for(admin_a).get("/trash/").content.decode()
    assert "被删承办人" in page and "县效能办" not in page
    above = make_user("km_xn", prefecture, "supervisor")
    assert "县效能办" in client_for(above).get("/trash/").content.decode()
    assert client_for(above).post(f"/trash/accounts.user/{peer.pk}/restore/").status_code == 302


def test_a_model_without_a_restore_rule_is_not_in_the_trash(client_for, admin_a, handler_a):
    from xiaoneng.notifications.models import Notification

    note = Notification.objects.create(recipient=admin_a, verb="test", title="提醒", actor=SYSTEM)
    note.delete(actor=SYSTEM)
    client = client_for(admin_a)
    assert client.post(f"/trash/notifications.notification/{note.pk}/restore/").status_code == 404
    assert client.post(f"/trash/core.changelog/{note.pk}/restore/").status_code == 404


def test_the_admin_cannot_restore_their_own_unit(client_for, admin_a, county_a):
    """A unit comes back through the level above, like its edits (Unit "restore")."""
    from xiaoneng.core import policy

    assert not policy.can(admin_a, "restore", county_a)
    assert not policy.can(admin_a, "change", county_a)
