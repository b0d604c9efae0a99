from rest_framework.routers import SimpleRouter

from xiaoneng.exemplars.api import ExemplarViewSet

router = SimpleRouter()
router.register("exemplars", ExemplarViewSet, basename="api-exemplar")
urlpatterns = router.urls
