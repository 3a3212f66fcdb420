"""Open-data addresses; kept apart from the public pages' urls.py so that each can grow alone."""

from django.urls import path

from reports import opendata

app_name = "opendata"

urlpatterns = [
    path("open-data/report-v1.schema.json", opendata.schema, name="schema"),
    path("<slug:slug>/<int:year>/data.json", opendata.data_json, name="json"),
    path("<slug:slug>/<int:year>/data.csv", opendata.data_csv, name="csv"),
    path("<slug:slug>/<int:year>/data.xlsx", opendata.data_xlsx, name="xlsx"),
    path("<slug:slug>/<int:year>/plan.json", opendata.plan_json, name="plan_json"),
]
