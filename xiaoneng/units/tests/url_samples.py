def samples(ctx) -> dict:
    # core's samples (created first, INSTALLED_APPS order) made a county A street.
    pk = ctx["hidden_unit"].pk
    return {
        "units:detail": {"pk": pk},
        "units:edit": {"pk": pk},
        "units:delete": {"pk": pk},
        "api-unit-detail": {"pk": pk},
    }
