from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.agency_detail, name="agency"),
    path("<slug:slug>/<int:year>/", views.report_detail, name="report"),
    path("<slug:slug>/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
]
