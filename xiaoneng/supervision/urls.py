from django.urls import path

from xiaoneng.supervision import views, views_holidays, views_negative

app_name = "supervision"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("todo/", views.my_work, name="my_work"),
    path("new/", views.item_create, name="item_create"),
    path("export/", views.item_export, name="item_export"),
    path("import/", views.item_import, name="item_import"),
    path("import/template/", views.import_template, name="import_template"),
    path("<id:pk>/", views.item_detail, name="item_detail"),
    path("<id:pk>/edit/", views.item_edit, name="item_edit"),
    path("<id:pk>/do/<str:action>/", views.item_action, name="item_action"),
    path("<id:pk>/urge/", views.item_urge, name="item_urge"),
    path("<id:pk>/decompose/", views.item_decompose, name="item_decompose"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment_download"),
    path("negative/", views_negative.violation_list, name="violation_list"),
    path("negative/new/", views_negative.violation_create, name="violation_create"),
    path("negative/<id:pk>/", views_negative.violation_detail, name="violation_detail"),
    path("negative/<id:pk>/publish/", views_negative.violation_publish, name="violation_publish"),
    path("negative/board/", views_negative.exposure_board, name="exposure_board"),
    path("negative/behaviours/", views_negative.behaviour_list, name="behaviour_list"),
    path("negative/behaviours/new/", views_negative.behaviour_edit, name="behaviour_create"),
    path("negative/behaviours/<id:pk>/", views_negative.behaviour_edit, name="behaviour_edit"),
    path("holidays/", views_holidays.holiday_list, name="holiday_list"),
]
