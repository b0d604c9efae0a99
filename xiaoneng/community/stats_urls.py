"""The statistics page of 社区共治 and its export (mounted at /community/stats/)."""

from django.urls import path

from xiaoneng.community import stats_views

app_name = "community_stats"
urlpatterns = [
    path("", stats_views.stats_page, name="stats"),
    path("export/", stats_views.stats_export, name="export"),
]
