"""Every page of 社区议事 opens for those it is for, on a community with a matter in each
state (samples_base: 永兴路社区): the community's staff, a resident, the street's staff; and
stays shut (403/404) for a resident of another community and the outsider county."""

import pytest
from django.urls import reverse

from xiaoneng.community.tests.samples_base import base_objects
from xiaoneng.community.tests.samples_web import samples
from xiaoneng.conftest import make_unit, make_user
from xiaoneng.units.models import Kind, Level

pytestmark = pytest.mark.django_db

GET_PAGES = [
    "community:matter_detail",
    "community:deliberation_detail",
]
PLAIN = [
    "community:matter_list",
    "community:deliberation_list",
]


@pytest.fixture
def base(url_ctx):
    return base_objects(url_ctx)


def _pages(url_ctx, base):
    kwargs = samples(url_ctx, base)
    urls = [reverse(n) for n in PLAIN]
    urls += [reverse(n, kwargs=kwargs[n]) for n in GET_PAGES]
    for key in ("matter", "listed", "handling", "closed", "referred"):
        urls.append(reverse("community:matter_detail", args=[base[key].pk]))
    return urls


def test_the_community_s_staff_open_every_page(client_for, url_ctx, base):
    c = client_for(base["staff"])
    urls = _pages(url_ctx, base) + [
        reverse(n)
        for n in (
            "community:matter_create",
            "community:deliberation_create",
            "community:group_list",
            "community:report_list",
        )
    ]
    urls += [
        reverse("community:matter_list") + f"?stage={s}"
        for s in ("raised", "listed", "handling", "done", "not_adopted")
    ]
    urls += [reverse("community:report_list") + "?open=false"]
    for url in urls:
        response = c.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_a_resident_opens_the_pages_for_residents(client_for, url_ctx, base):
    c = client_for(base["residents"][0])
    urls = [
        *_pages(url_ctx, base),
        reverse("community:matter_create"),
        reverse("community:group_list"),
        reverse("community:matter_list") + "?mine=true",
        reverse("community:matter_list") + "?seconded=true",
        reverse("community:matter_list") + "?to_rate=true",
    ]
    for url in urls:
        response = c.get(url)
        assert response.status_code == 200, (url, response.status_code)
    for name in ("community:deliberation_create", "community:report_list"):
        response = c.get(reverse(name))
        assert response.status_code == 403, name
        assert "社区工作人员" in response.content.decode()


def test_the_street_s_staff_follow_their_communities(client_for, url_ctx, base):
    c = client_for(base["street_staff"])
    for url in _pages(url_ctx, base):
        assert c.get(url).status_code == 200, url
    listing = c.get(reverse("community:matter_list") + f"?community={base['community'].pk}")
    assert base["handling"].title in listing.content.decode()
    # watching is not running: no raising, no council
    assert c.get(reverse("community:matter_create")).status_code == 403
    assert c.get(reverse("community:deliberation_create")).status_code == 403


def test_another_community_s_resident_finds_nothing(client_for, url_ctx, base, county_b):
    town = make_unit("530102001", "华山街道", Level.TOWNSHIP, county_b, kind=Kind.STREET)
    other = make_unit("530102001001", "华山社区", Level.COMMUNITY, town, kind=Kind.COMMUNITY)
    stranger = make_user("hs_jm", other, "resident")
    c = client_for(stranger)
    kwargs = samples(url_ctx, base)
    for name, args in kwargs.items():
        if name.startswith("community:board"):
            continue
        url = reverse(name, kwargs=args)
        for method in (c.get, c.post):
            response = method(url)
            assert response.status_code in (403, 404, 405), (name, response.status_code)
            assert url_ctx["marker"] not in response.content.decode(), name
    listing = c.get(reverse("community:matter_list")).content.decode()
    assert url_ctx["marker"] not in listing


@pytest.mark.parametrize(
    "url, current",
    [
        ("community_residents:residents", "居民"),
        ("community_residents:import", "居民"),
        ("community_residents:invitations", "邀请码"),
        ("community_stats:stats", "统计"),
    ],
)
def test_the_residents_and_statistics_pages_carry_the_module_menu(
    client_for, staff_a, url, current
):
    """One menu on every page of the module, the page's own entry marked."""
    page = client_for(staff_a).get(reverse(url)).content.decode()
    menu = page.split('<nav class="module-nav"')[1].split("</nav>")[0]
    assert reverse("community:matter_list") in menu
    assert f'aria-current="page">{current}</a>' in menu
