from django.urls import path

from reports import ita, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.agency_detail, name="agency"),
    path("<slug:slug>/ita/<int:year>/", ita.ita_page, name="ita"),
    path("<slug:slug>/ita/<int:year>/items.csv", ita.ita_csv, name="ita_csv"),
    path("<slug:slug>/ita/<int:year>/<int:item>/", ita.ita_item, name="ita_item"),
    path("<slug:slug>/ita/<int:year>/files/<int:pk>/", ita.ita_file, name="ita_file"),
    path("<slug:slug>/<int:year>/", views.report_detail, name="report"),
    path("<slug:slug>/<int:year>/evidence/<int:pk>/", ita.result_file, name="result_file"),
    path("<slug:slug>/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<slug:slug>/<int:year>/plan/", views.plan_detail, name="plan"),
    path("<slug:slug>/<int:year>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(
        "<slug:slug>/<int:year>/report-archival.pdf",
        views.report_archival_pdf,
        name="report_archival_pdf",
    ),
]
