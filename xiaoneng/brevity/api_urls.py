from django.urls import path
from rest_framework.routers import SimpleRouter

from xiaoneng.brevity.api import AnalyzeView, DocumentViewSet, MeetingViewSet, StatsView

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("documents", DocumentViewSet, basename="api-document")
urlpatterns = [
    path("brevity/analyze/", AnalyzeView.as_view(), name="api-brevity-analyze"),
    path("brevity/stats/", StatsView.as_view(), name="api-brevity-stats"),
    *router.urls,
]
