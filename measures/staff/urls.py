from django.urls import path

from measures.staff import evidence, imports, people, plans, publishing, views, years
from measures.staff.years import year_page


def year_path(route: str, view, kwargs=None, name=None):
    """A page of one fiscal year (/staff/<year>/…): an unopened year offers to open it."""
    return path(f"<int:year>/{route}", year_page(view), kwargs, name=name)


app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.person, name="person"),
    path("divisions/", people.divisions, name="divisions"),
    path("sign-off/", people.sign_off, name="sign_off"),
    path("words/", people.words, name="words"),
    path("words/<int:pk>/delete/", people.word_delete, name="word_delete"),
    year_path("", views.dashboard, name="report"),
    path("<int:year>/open/", years.year_open, name="open"),
    year_path("deadline/", years.deadline, name="deadline"),
    year_path("divisions/<int:division>/hand-in/", years.hand_in, {"done": True}, name="hand_in"),
    year_path("divisions/<int:division>/reopen/", years.hand_in, {"done": False}, name="reopen"),
    year_path("preview/", views.report_preview, name="preview"),
    year_path("history/", views.report_history, name="history"),
    year_path("scores/", views.scores, name="scores"),
    year_path("plan/", plans.plan_page, name="plan"),
    year_path("plan/approve/", plans.plan_approve, name="plan_approve"),
    year_path("plan/publish/", plans.plan_publish, name="plan_publish"),
    year_path("plan/withdraw/", plans.plan_withdraw, name="plan_withdraw"),
    year_path("review/", publishing.review, name="review"),
    year_path("review/acknowledge/", publishing.review_acknowledge, name="acknowledge"),
    year_path("measures/new/", views.measure_new, name="measure_new"),
    year_path("versions/", publishing.publications, name="publications"),
    year_path("versions/<int:version>/", publishing.publication_detail, name="publication"),
    year_path("withdraw/", publishing.report_withdraw, name="withdraw"),
    year_path("ita/", evidence.ita_items, name="ita"),
    year_path("ita/<int:item>/", evidence.ita_item, name="ita_item"),
    *(
        year_path(f"{action}/", publishing.report_decide, {"action": action}, name=action)
        for action in publishing.DECISIONS
    ),
    *(
        year_path(f"import/{kind}/", imports.report_import, {"kind": kind}, name="import")
        for kind in imports.IMPORTS
    ),
    *(
        year_path(
            f"export.{format}", imports.report_export, {"format": format}, name=f"export_{format}"
        )
        for format in ("xlsx", "csv")
    ),
    year_path("import/template.xlsx", imports.import_template, name="import_template"),
    path("measures/<int:pk>/", views.measure_edit, name="measure"),
    path("measures/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path("measures/<int:pk>/move/", views.measure_move, name="measure_move"),
    path("measures/<int:pk>/history/", views.measure_history, name="measure_history"),
    path("measures/<int:pk>/evidence/", evidence.measure_evidence, name="measure_evidence"),
    path("evidence/<int:pk>/", evidence.evidence_detail, name="evidence"),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete, name="evidence_delete"),
    path(
        "evidence/<int:pk>/versions/<int:version>/",
        evidence.evidence_version,
        name="evidence_version",
    ),
]
