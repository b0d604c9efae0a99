"""The community API's routes for the URL walk: one sample each, on the base objects of
永兴路社区 (county A). The outsider (a handler of county B) sees none of them: a matter, a
comment or a deliberation outside their scope is a 404 for every method."""

PUBLIC = {"api-community-board"}


def samples(ctx, base) -> dict:
    matter = {"pk": base["matter"].pk}
    return {
        "api-matter-detail": matter,
        "api-matter-second": matter,
        "api-matter-comments": matter,
        "api-matter-put-on-list": {"pk": base["listed"].pk},
        "api-matter-lead": {"pk": base["handling"].pk},
        "api-matter-progress": {"pk": base["handling"].pk},
        "api-matter-close": {"pk": base["handling"].pk},
        "api-matter-rating": {"pk": base["closed"].pk},
        "api-matter-reports": matter,
        "api-matter-comment-official": {"pk": base["reply"].pk},
        "api-matter-photo-detail": {"pk": base["photo"].pk},
        "api-deliberation-detail": {"pk": base["deliberation"].pk},
        "api-deliberation-decisions": {"pk": base["deliberation"].pk},
        "api-community-board": {"code": base["community"].code},
    }
