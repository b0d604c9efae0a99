from rest_framework.routers import SimpleRouter

from xiaoneng.branches.api import ActivityViewSet, PairingViewSet

router = SimpleRouter()
router.register("branch-pairings", PairingViewSet, basename="api-branch-pairing")
router.register("branch-activities", ActivityViewSet, basename="api-branch-activity")
urlpatterns = router.urls
