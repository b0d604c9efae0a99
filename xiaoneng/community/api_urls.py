from django.urls import path
from rest_framework.routers import SimpleRouter

from xiaoneng.community.api import (
    BoardView,
    CommentViewSet,
    DeliberationViewSet,
    MatterViewSet,
    PhotoViewSet,
)

router = SimpleRouter()
router.register("matters", MatterViewSet, basename="api-matter")
router.register("comments", CommentViewSet, basename="api-matter-comment")
router.register("matter-photos", PhotoViewSet, basename="api-matter-photo")
router.register("deliberations", DeliberationViewSet, basename="api-deliberation")
urlpatterns = [
    *router.urls,
    path("communities/<str:code>/board/", BoardView.as_view(), name="api-community-board"),
]
