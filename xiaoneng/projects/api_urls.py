from rest_framework.routers import SimpleRouter

from xiaoneng.projects.api import ProjectViewSet

router = SimpleRouter()
# /api/projects/, /api/projects/<pk>/, /api/projects/summary/, /api/projects/<pk>/reports/
router.register("projects", ProjectViewSet, basename="api-project")
urlpatterns = router.urls
