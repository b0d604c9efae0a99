from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from xiaoneng.accounts.api import MeView, ObtainTokenView, PasswordChangeView

api_patterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/password/", PasswordChangeView.as_view(), name="api-password"),
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("xiaoneng.units.api_urls")),
    path("", include("xiaoneng.notifications.api_urls")),
    path("", include("xiaoneng.supervision.api_urls")),
    path("", include("xiaoneng.projects.api_urls")),
    path("", include("xiaoneng.fieldwork.api_urls")),
    path("", include("xiaoneng.branches.api_urls")),
    path("", include("xiaoneng.exemplars.api_urls")),
    path("", include("xiaoneng.brevity.api_urls")),
    path("", include("xiaoneng.community.api_urls")),
    path("", include("xiaoneng.community.stats_api_urls")),
    path("", include("xiaoneng.community.residents_api_urls")),
]

urlpatterns = [
    path("", include("xiaoneng.core.urls")),
    path("accounts/", include("xiaoneng.accounts.urls")),
    path("units/", include("xiaoneng.units.urls")),
    path("inbox/", include("xiaoneng.notifications.urls")),
    path("supervision/", include("xiaoneng.supervision.urls")),
    path("projects/", include("xiaoneng.projects.urls")),
    path("fieldwork/", include("xiaoneng.fieldwork.urls")),
    path("branches/", include("xiaoneng.branches.urls")),
    path("exemplars/", include("xiaoneng.exemplars.urls")),
    path("brevity/", include("xiaoneng.brevity.urls")),
    path("community/residents/", include("xiaoneng.community.residents_urls")),
    path("community/stats/", include("xiaoneng.community.stats_urls")),
    path("community/", include("xiaoneng.community.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(api_patterns)),
]
