from django.urls import path

from xiaoneng.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.summary_export, name="summary_export"),
    path("screen/", views.screen, name="screen"),
    path("counties/", views.county_choices, name="county_choices"),
    path("list/", views.project_list, name="project_list"),
    path("list/export.xlsx", views.project_export, name="project_export"),
    path("<id:pk>/", views.project_detail, name="project_detail"),
    path("<id:pk>/edit/", views.project_edit, name="project_edit"),
    path("<id:pk>/report/", views.report_create, name="report_create"),
    path("reports/import/", views.report_import, name="report_import"),
    path("reports/template.xlsx", views.report_template, name="report_template"),
    path("import/", views.import_start, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<id:pk>/", views.import_job, name="import_job"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<id:pk>/", views.batch_edit, name="batch_edit"),
    path("industries/", views.industry_list, name="industry_list"),
    path("industries/<id:pk>/", views.industry_edit, name="industry_edit"),
]
