from xiaoneng.conftest import make_user


def samples(ctx) -> dict:
    person = make_user("a_secret", ctx["county_a"], "handler", name=f"{ctx['marker']}人员")
    return {
        "accounts:user_detail": {"pk": person.pk},
        "accounts:user_edit": {"pk": person.pk},
        "accounts:user_reset_password": {"pk": person.pk},
        "accounts:user_delete": {"pk": person.pk},
    }
