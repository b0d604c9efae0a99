from rest_framework.routers import SimpleRouter

from xiaoneng.fieldwork.api import FindingViewSet, VisitViewSet

router = SimpleRouter()
router.register("visits", VisitViewSet, basename="api-visit")
router.register("findings", FindingViewSet, basename="api-finding")
urlpatterns = router.urls
