"""URL samples of the community's statistics (community_stats:stats, :export, and
/api/community/stats/): none of them takes an argument in its path (the unit is a query
parameter, checked against the viewer's subtree: test_stats.py's outsider test), so there is
nothing to sample, and none is public."""

PUBLIC: set[str] = set()


def samples(ctx, base) -> dict:
    return {}
