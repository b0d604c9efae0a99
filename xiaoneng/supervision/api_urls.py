from rest_framework.routers import SimpleRouter

from xiaoneng.supervision.api import ItemViewSet, ViolationViewSet

router = SimpleRouter()
router.register("items", ItemViewSet, basename="api-item")
router.register("violations", ViolationViewSet, basename="api-violation")
urlpatterns = router.urls
