from django.urls import path

from xiaoneng.community import views

app_name = "community"
urlpatterns = [
    # Matters (议题)
    path("", views.matter_list, name="matter_list"),
    path("new/", views.matter_create, name="matter_create"),
    path("<id:pk>/", views.matter_detail, name="matter_detail"),
    path("<id:pk>/second/", views.matter_second, name="matter_second"),
    path("<id:pk>/unsecond/", views.matter_unsecond, name="matter_unsecond"),
    path("<id:pk>/put-on-list/", views.matter_put_on_list, name="matter_put_on_list"),
    path("<id:pk>/comments/", views.comment_add, name="comment_add"),
    path("<id:pk>/report/", views.matter_report, name="matter_report"),
    path("<id:pk>/lead/", views.matter_lead, name="matter_lead"),
    path("<id:pk>/progress/", views.matter_progress, name="matter_progress"),
    path("<id:pk>/close/", views.matter_close, name="matter_close"),
    path("<id:pk>/rate/", views.matter_rate, name="matter_rate"),
    path("hide/<str:kind>/<id:pk>/", views.content_hide, name="content_hide"),
    path("comments/<id:pk>/official/", views.comment_official, name="comment_official"),
    path("photos/<id:pk>/", views.photo_view, name="photo"),
    path("photos/<id:pk>/public/", views.photo_public, name="photo_public"),
    # Deliberations (议事会)
    path("deliberations/", views.deliberation_list, name="deliberation_list"),
    path("deliberations/new/", views.deliberation_create, name="deliberation_create"),
    path("deliberations/<id:pk>/", views.deliberation_detail, name="deliberation_detail"),
    path("deliberations/<id:pk>/edit/", views.deliberation_edit, name="deliberation_edit"),
    path("deliberations/<id:pk>/decide/", views.deliberation_decide, name="deliberation_decide"),
    # Groups (办理力量) and moderation (举报处理)
    path("groups/", views.group_list, name="group_list"),
    path("people/", views.people, name="people"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<id:pk>/hide/", views.report_hide, name="report_hide"),
    path("reports/<id:pk>/keep/", views.report_keep, name="report_keep"),
    # The public board (no login): open matters, decisions, results, satisfaction.
    path("board/<str:code>/", views.board, name="board"),
    path("board/<str:code>/photos/<id:pk>/", views.board_photo, name="board_photo"),
]
