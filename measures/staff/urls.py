from django.urls import path

from measures.staff import imports, people, publishing, views

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("start/", views.report_start, name="start"),
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.person, name="person"),
    path("divisions/", people.divisions, name="divisions"),
    path("words/", people.words, name="words"),
    path("words/<int:pk>/delete/", people.word_delete, name="word_delete"),
    path("<int:year>/", views.dashboard, name="report"),
    path("<int:year>/preview/", views.report_preview, name="preview"),
    path("<int:year>/history/", views.report_history, name="history"),
    path("<int:year>/scores/", views.scores, name="scores"),
    path("<int:year>/review/", publishing.review, name="review"),
    path("<int:year>/review/acknowledge/", publishing.review_acknowledge, name="acknowledge"),
    path("<int:year>/measures/new/", views.measure_new, name="measure_new"),
    path("<int:year>/versions/", publishing.publications, name="publications"),
    path("<int:year>/versions/<int:version>/", publishing.publication_detail, name="publication"),
    path("<int:year>/withdraw/", publishing.report_withdraw, name="withdraw"),
    *(
        path(f"<int:year>/{action}/", publishing.report_action, {"action": action}, name=action)
        for action in publishing.WORKFLOW
    ),
    *(
        path(f"<int:year>/import/{kind}/", imports.report_import, {"kind": kind}, name="import")
        for kind in imports.IMPORTS
    ),
    *(
        path(
            f"<int:year>/export.{format}",
            imports.report_export,
            {"format": format},
            name=f"export_{format}",
        )
        for format in ("xlsx", "csv")
    ),
    path("<int:year>/carry-forward/", imports.report_carry_forward, name="carry_forward"),
    path("measures/<int:pk>/", views.measure_edit, name="measure"),
    path("measures/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path("measures/<int:pk>/move/", views.measure_move, name="measure_move"),
    path("measures/<int:pk>/history/", views.measure_history, name="measure_history"),
]
