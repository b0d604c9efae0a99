from xiaoneng.accounts import services
from xiaoneng.accounts.models import ApiToken
from xiaoneng.conftest import make_user


def samples(ctx) -> dict:
    person = make_user("a_secret", ctx["county_a"], "handler", name=f"{ctx['marker']}人员")
    services.create_token(person, name=f"{ctx['marker']}设备")
    token = ApiToken.objects.get(user=person)
    return {
        "accounts:user_detail": {"pk": person.pk},
        "accounts:user_edit": {"pk": person.pk},
        "accounts:user_reset_password": {"pk": person.pk},
        "accounts:user_delete": {"pk": person.pk},
        "accounts:user_revoke_tokens": {"pk": person.pk},
        "accounts:token_revoke": {"pk": token.pk},
    }
