from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.agency_detail, name="agency"),
    path("<slug:slug>/<int:year>/", views.report_detail, name="report"),
    path("<slug:slug>/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<slug:slug>/<int:year>/plan/", views.plan_detail, name="plan"),
    path("<slug:slug>/<int:year>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(
        "<slug:slug>/<int:year>/report-archival.pdf",
        views.report_archival_pdf,
        name="report_archival_pdf",
    ),
]
