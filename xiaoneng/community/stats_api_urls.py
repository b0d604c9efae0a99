"""The statistics API of 社区共治 (mounted under /api/)."""

from django.urls import path

from xiaoneng.community.stats_api import CommunityStatsView

urlpatterns = [
    path("community/stats/", CommunityStatsView.as_view(), name="api-community-stats"),
]
