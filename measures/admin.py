import secrets
import tempfile

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm

from itaportal import limits
from measures import thai
from measures.imports.resources import MeasureResource
from measures.imports.results import results_import
from measures.imports.services import report_carry_forward
from measures.imports.spreadsheet import (
    FORMATS,
    SpreadsheetError,
    UploadStorage,
    read_upload,
    too_big_message,
)
from measures.models import (
    MAX_YEAR,
    MIN_YEAR,
    AcceptedWord,
    Agency,
    Change,
    Division,
    DivisionMapping,
    Evidence,
    EvidenceFile,
    Indicator,
    IndicatorScore,
    ItaResult,
    LevelRule,
    Measure,
    Membership,
    Method,
    OitItem,
    OitList,
    OutboxMessage,
    Outcome,
    PlainTextField,
    Publication,
    Report,
    Result,
    ReviewAcknowledgement,
    SignInEvent,
)
from measures.notifications.outbox import message_retry
from measures.oit.services import oit_list_copy
from measures.templatetags.measures_extras import change_field
from reports.archive import latest_publications, write_pdfs_zip


class DivisionInline(admin.TabularInline):
    model = Division
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "kind", "district", "province", "slug"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "short_name", "name_en", "code", "slug", "province", "district"]
    inlines = [DivisionInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "name_th", "name_en", "group"]
    list_filter = ["group"]

    # Reference data of the national framework, loaded by a migration.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(admin.ModelAdmin):
    list_display = ["agency", "fiscal_year", "indicator", "score"]
    list_filter = ["fiscal_year", "indicator"]
    search_fields = ["agency__name", "agency__short_name"]
    autocomplete_fields = ["agency"]


@admin.register(LevelRule)
class LevelRuleAdmin(admin.ModelAdmin):
    """Each assessment year's levels: editing a rule changes every level shown for that year."""

    list_display = ["fiscal_year", "label", "min_score", "min_part", "passed"]
    list_filter = ["fiscal_year"]


class ResultsImportForm(forms.Form):
    year = forms.IntegerField(
        label=_("assessment year (B.E.)"), min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    import_file = forms.FileField(
        label=_("results file (.xlsx, .csv)"),
        help_text=_(
            "One row per agency: รหัสหน่วยงาน or ชื่อหน่วยงาน, ปี, คะแนนรวม, IIT, EIT, OIT, "
            "ระดับ (optional) and ตัวชี้วัดที่ 1 … ตัวชี้วัดที่ 10 (optional)."
        ),
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            data = read_upload(upload)
        except SpreadsheetError as error:
            raise ValidationError(str(error)) from None
        format = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
        return {"data": data, "format": format, "name": upload.name}


@admin.register(ItaResult)
class ItaResultAdmin(admin.ModelAdmin):
    """The agencies' ITA results; many at once from the assessment's results file
    (``import/``: a preview, then the confirmation writes all rows or none)."""

    list_display = ["agency", "fiscal_year", "overall", "iit", "eit", "oit", "level"]
    list_filter = ["fiscal_year"]
    search_fields = ["agency__name", "agency__short_name", "agency__code"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
    change_list_template = "admin/measures/itaresult/change_list.html"

    @admin.display(description=_("level"))
    def level(self, obj):
        return obj.level

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="measures_itaresult_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload → preview (nothing written) → confirm: the previewed file, kept in the shared
        imports storage under a random name only this session knows, is imported whole."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form, outcome, token = ResultsImportForm(), None, None
        pending = request.session.get(RESULTS_PENDING)
        if request.method == "POST" and "token" in request.POST:
            if not pending or not secrets.compare_digest(pending["token"], request.POST["token"]):
                messages.error(request, _("The previewed file is no longer here. Upload it again."))
                return redirect("admin:measures_itaresult_import")
            with storages["imports"].open(pending["name"]) as stored:
                data = stored.read()
            outcome = results_import(
                file=data, format=pending["format"], year=pending["year"], dry_run=False
            )
            if outcome.committed:
                storages["imports"].delete(pending["name"])
                del request.session[RESULTS_PENDING]
                messages.success(
                    request, _("The results were saved.") + " " + _results_counts(outcome)
                )
                return redirect("admin:measures_itaresult_changelist")
        elif request.method == "POST":
            form = ResultsImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload, year = form.cleaned_data["import_file"], form.cleaned_data["year"]
                outcome = results_import(file=upload["data"], format=upload["format"], year=year)
                if outcome.ok:
                    token = secrets.token_urlsafe(24)
                    name = storages["imports"].save(
                        f"results-{token}.upload", ContentFile(upload["data"])
                    )
                    request.session[RESULTS_PENDING] = {
                        "token": token,
                        "name": name,
                        "format": upload["format"],
                        "year": year,
                    }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import ITA results"),
            "form": form,
            "outcome": outcome,
            "summary": _results_counts(outcome) if outcome else "",
            "token": token,
        }
        return render(request, "admin/measures/itaresult/import.html", context)


RESULTS_PENDING = "pending_results_import"


def _results_counts(outcome) -> str:
    labels = {"new": _("new"), "changed": _("changed"), "unchanged": _("unchanged")}
    return ", ".join(
        f"{label} {thai.thai_digits(outcome.counts[key])}"
        for key, label in labels.items()
        if outcome.counts[key]
    )


class MeasureInline(admin.TabularInline):
    model = Measure
    fields = ["number", "title"]
    extra = 0
    show_change_link = True


class ReadOnlyInline(admin.TabularInline):
    """Records shown under their parent, made by the portal, never by hand here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class PublicationInline(ReadOnlyInline):
    """Published versions are the public record: made by publishing."""

    model = Publication
    fields = [
        "kind",
        "version",
        "published_at",
        "published_by",
        "withdrawn_at",
        "withdrawal_reason",
    ]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["agency", "fiscal_year", "status"]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["agency__name", "agency__short_name"]
    autocomplete_fields = ["agency"]
    inlines = [MeasureInline, PublicationInline]
    actions = ["carry_forward", "download_pdfs"]

    @admin.action(description=_("Download the published PDFs of the selected reports (ZIP)"))
    def download_pdfs(self, request, queryset):
        publications = latest_publications(queryset)
        if not publications:
            self.message_user(
                request, _("None of the selected reports is published."), messages.WARNING
            )
            return None
        # FileResponse closes the file once it is sent.
        archive = tempfile.SpooledTemporaryFile(max_size=50 * 1024 * 1024)  # noqa: SIM115
        write_pdfs_zip(publications, archive)
        archive.seek(0)
        return FileResponse(archive, as_attachment=True, filename="ita-reports.zip")

    @admin.action(description=_("Start the next fiscal year from the selected reports"))
    def carry_forward(self, request, queryset):
        for report in queryset.select_related("agency"):
            try:
                new = report_carry_forward(report=report, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{report}: {error.messages[0]}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Started %(new)s from %(year)s.")
                    % {"new": new, "year": thai.thai_digits(report.fiscal_year)},
                    messages.SUCCESS,
                )


class MeasureAdminForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "report",
            "number",
            "title",
            "start_month",
            "start_year",
            "end_month",
            "end_year",
            "divisions",
            "indicators",
        ]

    def clean(self):
        cleaned = super().clean()
        report = cleaned.get("report")
        foreign = [
            d for d in cleaned.get("divisions", []) if report and d.agency_id != report.agency_id
        ]
        if foreign:
            names = ", ".join(d.name for d in foreign)
            self.add_error(
                "divisions", _("These divisions do not belong to the report's agency: %s") % names
            )
        return cleaned


class MethodInline(admin.TabularInline):
    model = Method
    extra = 0
    max_num = limits.ITEMS_PER_LIST


class ResultInline(admin.TabularInline):
    model = Result
    extra = 0
    max_num = limits.ITEMS_PER_LIST


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    max_num = limits.ITEMS_PER_LIST
    # Beside the indicator and its citation, a full-width text box pushed the row off a 1366 px
    # screen; the box wraps its text anyway.
    formfield_overrides = {
        PlainTextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 30})}
    }


class MeasureImportForm(ImportForm):
    """The admin's import form, with the report the rows go into and the upload size limit."""

    report = forms.ModelChoiceField(
        queryset=Report.objects.select_related("agency"), label=_("into report")
    )
    field_order = ["report", "resource", "import_file", "format"]

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(too_big_message())
        return upload


class MeasureConfirmImportForm(ConfirmImportForm):
    report = forms.ModelChoiceField(queryset=Report.objects.all(), widget=forms.HiddenInput)


class MeasureExportForm(SelectableFieldsExportForm):
    """Names each column as the file does; import-export prefixes the attribute's English name."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


@admin.register(Measure)
class MeasureAdmin(ImportExportModelAdmin):
    """Measures, with a report's measures imported from and exported to XLSX/CSV.

    The import previews every row (new, changed, unchanged, errors) and writes only on
    confirmation, through the same resource and file checks as ``report_import_rows``.
    """

    resource_classes = [MeasureResource]
    formats = list(FORMATS.values())
    import_form_class = MeasureImportForm
    confirm_form_class = MeasureConfirmImportForm
    export_form_class = MeasureExportForm
    tmp_storage_class = UploadStorage
    form = MeasureAdminForm
    list_display = ["__str__", "report", "period_display"]
    list_filter = ["report__fiscal_year", "report__agency"]
    search_fields = ["title", "report__agency__name"]
    filter_horizontal = ["divisions", "indicators"]
    inlines = [MethodInline, ResultInline, OutcomeInline]
    list_select_related = ["report__agency"]

    @admin.display(description=_("period"))
    def period_display(self, obj):
        return obj.period_display

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        report = form.cleaned_data["report"] if form and form.is_valid() else None
        return {"report": report}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["report"] = import_form.cleaned_data["report"].pk
        return initial

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing: a confirmed import with any invalid row writes nothing.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, SpreadsheetError):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).with_lists()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "position"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    autocomplete_fields = ["user", "agency"]
    filter_horizontal = ["divisions"]


@admin.register(DivisionMapping)
class DivisionMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "all_divisions"]
    list_filter = ["agency"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["divisions"]


@admin.register(AcceptedWord)
class AcceptedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "agency", "added_by", "added_at"]
    list_filter = ["agency"]
    search_fields = ["word", "agency__name"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["added_by", "added_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Records of who decided or changed what are evidence, written by the portal only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The review's checks by their names in the code (measures/review), as the admin shows them.
CHECK_NAMES = {
    "completeness": _("completeness"),
    "periods": _("periods"),
    "citations": _("score citations"),
    "spelling": _("spelling"),
    "variants": _("words written two ways"),
    "typography": _("typography"),
}


class CheckFilter(admin.SimpleListFilter):
    title = _("check")
    parameter_name = "check_name"

    def lookups(self, request, model_admin):
        return list(CHECK_NAMES.items())

    def queryset(self, request, queryset):
        return queryset.filter(check_name=self.value()) if self.value() else queryset


@admin.register(ReviewAcknowledgement)
class ReviewAcknowledgementAdmin(ReadOnlyRecordAdmin):
    list_display = ["report", "check_title", "message", "acknowledged_by", "acknowledged_at"]
    list_filter = [CheckFilter, "report__fiscal_year"]
    fields = ["report", "check_title", "message", "acknowledged_by", "acknowledged_at"]
    search_fields = ["message", "report__agency__name"]
    list_select_related = ["report__agency", "acknowledged_by"]

    @admin.display(description=_("check"), ordering="check_name")
    def check_title(self, obj):
        return CHECK_NAMES.get(obj.check_name, obj.check_name)


@admin.register(Change)
class ChangeAdmin(ReadOnlyRecordAdmin):
    list_display = ["at", "user", "action", "subject", "report"]
    fields = readonly_fields = [
        "report", "measure", "version", "subject", "user", "at", "action", "what_changed",
    ]  # fmt: skip
    list_filter = ["action", "report__agency"]
    search_fields = ["subject", "user__username", "report__agency__name"]
    list_select_related = ["user", "report__agency"]

    @admin.display(description=_("what changed"))
    def what_changed(self, obj):
        """As the history pages show it (the record keeps the fields by their names in code)."""
        return format_html_join(
            mark_safe("<br>"),
            "{}: {} → {}",
            (
                (change_field(item["field"]), item["before"] or "–", item["after"] or "–")
                for item in obj.changes
            ),
        )


class EvidenceFileInline(ReadOnlyInline):
    model = EvidenceFile
    fields = ["name", "content_type", "size", "sha256", "uploaded_at", "uploaded_by"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyRecordAdmin):
    """What agencies gave as evidence, with every file version. Read-only here: added, replaced
    and deleted on the staff pages, where the file is checked, the change recorded and an
    approved report reopened."""

    list_display = ["__str__", "agency", "kind", "oit_item", "measure", "result_number", "added_at"]
    list_filter = ["kind", "oit_item__oit_list__year", "measure__report__fiscal_year"]
    search_fields = ["title", "url", "files__name", "agency__name"]
    list_select_related = ["agency", "oit_item__oit_list", "measure"]
    inlines = [EvidenceFileInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyRecordAdmin):
    list_display = ["at", "kind", "username", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The e-mail outbox: what was sent to whom, what is waiting and what failed."""

    list_display = ["created_at", "to", "subject", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "agency"]
    search_fields = ["to", "subject", "user__username"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed e-mails again"))
    def send_again(self, request, queryset):
        failed = queryset.filter(status=OutboxMessage.Status.FAILED)
        for message in failed:
            message_retry(message=message)
        self.message_user(
            request,
            _("%(count)s e-mails are queued to be sent again.")
            % {"count": thai.thai_digits(len(failed))},
            messages.SUCCESS,
        )


class OitItemInline(admin.TabularInline):
    model = OitItem
    extra = 0
    fields = ["order", "code", "title", "group", "satisfied_by", "fiscal_year_offset"]


@admin.register(OitList)
class OitListAdmin(admin.ModelAdmin):
    list_display = ["__str__", "confidence"]
    inlines = [OitItemInline]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("Copy the selected lists to the next year"))
    def copy_to_next_year(self, request, queryset):
        for oit_list in queryset:
            try:
                new = oit_list_copy(oit_list=oit_list, year=oit_list.year + 1)
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
            else:
                self.message_user(
                    request, _("%(new)s made; check and edit it.") % {"new": new}, messages.SUCCESS
                )


admin.site.site_header = admin.site.site_title = _("ITA Portal administration")

# The packages' admin screens in Thai (after their own admin modules have registered).
from measures import admin_packages  # noqa: E402, F401
