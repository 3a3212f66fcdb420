from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from measures.models import (
    Agency,
    Change,
    Division,
    Indicator,
    IndicatorScore,
    Measure,
    Membership,
    Method,
    Outcome,
    Publication,
    Report,
    Result,
)


class DivisionInline(admin.TabularInline):
    model = Division
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "district", "province", "slug"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "short_name", "province", "district"]
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


class MeasureInline(admin.TabularInline):
    model = Measure
    fields = ["number", "title"]
    extra = 0
    show_change_link = True


class PublicationInline(admin.TabularInline):
    model = Publication
    fields = ["version", "published_at", "published_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    # Published versions are the public record: made by publishing, never by hand.
    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["agency", "fiscal_year", "status"]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["agency__name", "agency__short_name"]
    autocomplete_fields = ["agency"]
    inlines = [MeasureInline, PublicationInline]


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


class ResultInline(admin.TabularInline):
    model = Result
    extra = 0


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "position"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    autocomplete_fields = ["user", "agency"]
    filter_horizontal = ["divisions"]


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "subject", "report"]
    list_filter = ["action", "report__agency"]
    search_fields = ["subject", "user__username", "report__agency__name"]
    list_select_related = ["user", "report__agency"]

    # The record of who changed what is evidence: it is written by the staff pages only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
