"""URL confs for the problem-link tests: with and without the supervision module's page."""

from django.http import HttpResponse
from django.urls import include, path


def _page(request):
    return HttpResponse("")


supervision = ([path("items/new/", _page, name="item_create")], "supervision")
projects = ([path("", _page, name="dashboard")], "projects")

with_supervision = [
    path("supervision/", include(supervision)),
    path("projects/", include(projects)),
]
without_supervision = [path("projects/", include(projects))]


class WithSupervision:
    urlpatterns = with_supervision


class WithoutSupervision:
    urlpatterns = without_supervision
