"""The web pages' part of the community's URL samples (url_samples.py): each route of
community/urls.py with arguments, on the objects of samples_base (永兴路社区, county A).
The public board and its photo route are reachable without logging in (`PUBLIC`); the board's
tests prove they show no personal data."""

PUBLIC = {"community:board", "community:board_photo"}


def samples(ctx, base) -> dict:
    matter = base["matter"].pk
    return {
        "community:matter_detail": {"pk": matter},
        "community:matter_second": {"pk": matter},
        "community:matter_unsecond": {"pk": matter},
        "community:matter_put_on_list": {"pk": matter},
        "community:comment_add": {"pk": matter},
        "community:matter_report": {"pk": matter},
        "community:matter_lead": {"pk": base["handling"].pk},
        "community:matter_progress": {"pk": base["handling"].pk},
        "community:matter_close": {"pk": base["handling"].pk},
        "community:matter_rate": {"pk": base["closed"].pk},
        "community:content_hide": {"kind": "comment", "pk": base["comment"].pk},
        "community:comment_official": {"pk": base["reply"].pk},
        "community:photo": {"pk": base["photo"].pk},
        "community:photo_public": {"pk": base["photo"].pk},
        "community:deliberation_detail": {"pk": base["deliberation"].pk},
        "community:deliberation_edit": {"pk": base["deliberation"].pk},
        "community:deliberation_decide": {"pk": base["deliberation"].pk},
        "community:report_hide": {"pk": base["report"].pk},
        "community:report_keep": {"pk": base["report"].pk},
        "community:board": {"code": base["community"].code},
        "community:board_photo": {"code": base["community"].code, "pk": base["photo"].pk},
    }
