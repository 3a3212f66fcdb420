from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaportal import limits
from measures import thai
from measures.editing import MEASURE_FIELDS, OutcomeData
from measures.imports.services import ALL_DIVISIONS, NEW_DIVISION
from measures.imports.spreadsheet import SpreadsheetError, read_upload
from measures.items import ITEM, SUB_ITEM, ListItem
from measures.models import (
    AcceptedWord,
    Agency,
    Division,
    Indicator,
    ItaResult,
    Measure,
    Membership,
    PlainTextFormField,
    Report,
)


class MeasureForm(forms.ModelForm):
    """The coordinator's part of a measure: title, period, divisions and target indicators."""

    required_css_class = "required"

    start_year = forms.TypedChoiceField(
        label=_("start year (B.E.)"), coerce=int, empty_value=None, required=False
    )
    end_year = forms.TypedChoiceField(
        label=_("end year (B.E.)"), coerce=int, empty_value=None, required=False
    )

    class Meta:
        model = Measure
        fields = [*MEASURE_FIELDS, "divisions", "indicators"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "divisions": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "budget": _("For the plan. Leave it empty when the measure uses no budget."),
        }

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        # The fiscal year starts in October of the year before; a measure may run on into
        # the next one.
        years = [(None, "---------")] + [
            (year, thai.thai_digits(year))
            for year in range(report.fiscal_year - 2, report.fiscal_year + 2)
        ]
        self.fields["start_year"].choices = years
        self.fields["end_year"].choices = years
        self.fields["divisions"].queryset = report.agency.divisions.all()

    def clean(self):
        """The period's rules as Thai errors on its fields, before the database's
        measure_period_valid would refuse it in English."""
        cleaned = super().clean()
        period = [cleaned.get(name) for name in PERIOD_FIELDS]
        if any(value is not None for value in period):
            for name, value in zip(PERIOD_FIELDS, period, strict=True):
                if value is None and name not in self.errors:
                    self.add_error(
                        name,
                        _(
                            "Fill in the start and end month and year, or leave all four "
                            "empty while the period is not known."
                        ),
                    )
        if all(value is not None for value in period):
            start_month, start_year, end_month, end_year = period
            if (end_year, end_month) < (start_year, start_month):
                self.add_error("end_month", _("The period ends before it starts."))
        return cleaned


PERIOD_FIELDS = ("start_month", "start_year", "end_month", "end_year")


class ItemForm(forms.Form):
    required_css_class = "required"

    text = PlainTextFormField(
        label=_("text"), max_length=limits.ITEM_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )
    sub_item = forms.BooleanField(
        label=_("sub-item of the item above"),
        help_text=_("Numbered ๑.๑, ๑.๒ … under the item above it. The first item cannot be one."),
        required=False,
    )

    def item(self) -> ListItem:
        data = self.cleaned_data
        return ListItem(data["text"], SUB_ITEM if data.get("sub_item") else ITEM)


class OutcomeForm(ItemForm):
    indicator = forms.ModelChoiceField(
        Indicator.objects.all(), label=_("cited indicator"), required=False
    )
    cite_score = forms.BooleanField(
        label=_("add a sentence with this indicator's score after the text"),
        help_text=_(
            "The portal writes the sentence from the scores entered on the ITA scores page, so "
            "it always agrees with them."
        ),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cite_score") and not cleaned.get("indicator"):
            self.add_error("indicator", _("Choose the indicator whose score is cited."))
        return cleaned


class BaseItemFormSet(forms.BaseFormSet):
    """An ordered list; the order numbers people type decide the order, gaps allowed.

    Blank extra rows ("add an item") and rows ticked for deletion are left out.
    """

    def clean(self):
        super().clean()
        count = sum(
            1
            for form in self.forms
            if form.is_valid() and form.has_changed() and not self._should_delete_form(form)
        )
        if count > limits.ITEMS_PER_LIST:
            raise forms.ValidationError(
                _("A list holds at most %(limit)s items; this one has %(count)s.")
                % {
                    "limit": thai.thai_digits(limits.ITEMS_PER_LIST),
                    "count": thai.thai_digits(count),
                }
            )

    def items(self) -> list[dict]:
        return [form.cleaned_data for form in self.ordered_forms]

    def list_items(self) -> list[ListItem]:
        """The items in their order, each with its level."""
        return [form.item() for form in self.ordered_forms]


# Several blank rows, so that several items go in one save without JavaScript (which adds
# more rows on request: static/js/item_rows.js).
BLANK_ROWS = 3
ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=BLANK_ROWS, can_order=True, can_delete=True
)
OutcomeFormSet = forms.formset_factory(
    OutcomeForm, formset=BaseItemFormSet, extra=BLANK_ROWS, can_order=True, can_delete=True
)


def error_summary(forms_in_page) -> list[tuple[str, str]]:
    """(field id, "label: message") for every error of the page's forms and formsets, in page
    order, for the summary at the top of the page that links to each field."""
    entries = []
    for form in forms_in_page:
        if isinstance(form, forms.BaseFormSet):
            first = form.forms[0] if form.forms else None
            for message in form.non_form_errors():
                entries.append((_first_field_id(first), message))
            entries.extend(entry for row in form.forms for entry in error_summary([row]))
            continue
        for name, messages in form.errors.items():
            field_id = _first_field_id(form) if name == NON_FIELD_ERRORS else None
            if field_id is None:
                bound = form[name]
                field_id = bound.id_for_label or bound.auto_id
                messages = [f"{bound.label}: {message}" for message in messages]
            entries.extend((field_id, message) for message in messages)
    return entries


def _first_field_id(form) -> str:
    return next((field.auto_id for field in form), "") if form is not None else ""


def item_initial(manager) -> list[dict]:
    return [
        {"text": item.text, "sub_item": item.level == SUB_ITEM, "ORDER": item.order}
        for item in manager.all()
    ]


def outcome_initial(measure: Measure) -> list[dict]:
    return [
        {
            "text": item.text,
            "indicator": item.indicator,
            "cite_score": item.cite_score,
            "sub_item": item.level == SUB_ITEM,
            "ORDER": item.order,
        }
        for item in measure.outcomes.all()
    ]


def outcome_data(formset) -> list[OutcomeData]:
    return [
        OutcomeData(
            text=row["text"],
            indicator=row["indicator"],
            cite_score=row["cite_score"],
            level=SUB_ITEM if row.get("sub_item") else ITEM,
        )
        for row in formset.items()
    ]


class NewMeasureForm(forms.Form):
    title = PlainTextFormField(
        label=_("measure, project or activity"),
        max_length=limits.TITLE_CHARS,
        widget=forms.Textarea,
    )


RESULT_PARTS = {
    "overall": _("overall score"),
    "iit": _("IIT score"),
    "eit": _("EIT score"),
    "oit": _("OIT score"),
}


def score_form_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        widget=forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 100}),
    )


class ScoresForm(forms.Form):
    """Last year's and this year's score for each of the ten indicators; blank = not known."""

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, tuple[int, int]] = {}
        self.rows = []
        for indicator in Indicator.objects.all():
            row = {"indicator": indicator, "fields": []}
            for year in (report.fiscal_year - 1, report.fiscal_year):
                name = f"score_{indicator.number}_{year}"
                self.fields[name] = score_form_field(
                    _("%(indicator)s, B.E. %(year)s")
                    % {"indicator": indicator, "year": thai.thai_digits(year)}
                )
                self.keys[name] = (indicator.number, year)
                row["fields"].append(self[name])
            self.rows.append(row)

        # The ITA result of each year beside its indicators: overall and its three parts.
        self.results = []
        for year in (report.fiscal_year - 1, report.fiscal_year):
            fields = []
            for part, label in RESULT_PARTS.items():
                name = f"result_{part}_{year}"
                self.fields[name] = score_form_field(
                    _("%(part)s, B.E. %(year)s") % {"part": label, "year": thai.thai_digits(year)}
                )
                fields.append(self[name])
            self.results.append({"year": year, "fields": fields})

    def values(self) -> dict[tuple[int, int], Decimal | None]:
        return {key: self.cleaned_data[name] for name, key in self.keys.items()}

    def clean(self):
        cleaned = super().clean()
        for row in self.results:
            year = row["year"]
            overall, *parts = (cleaned.get(f"result_{part}_{year}") for part in RESULT_PARTS)
            result = ItaResult(
                fiscal_year=year, overall=overall, iit=parts[0], eit=parts[1], oit=parts[2]
            )
            if overall is None:
                if any(p is not None for p in parts):
                    self.add_error(f"result_overall_{year}", _("Give the overall score too."))
                continue
            try:
                result.clean()
            except ValidationError as error:
                for message in error.messages:
                    self.add_error(f"result_overall_{year}", message)
        return cleaned

    def result_values(self) -> dict[int, dict | None]:
        """Each year's result as typed: the four scores, or None where no overall score is."""
        values = {}
        for row in self.results:
            year = row["year"]
            typed = {part: self.cleaned_data[f"result_{part}_{year}"] for part in RESULT_PARTS}
            values[year] = typed if typed["overall"] is not None else None
        return values


class MembershipForm(forms.ModelForm):
    """A member's role in the coordinator's agency."""

    class Meta:
        model = Membership
        fields = ["role", "position", "divisions"]
        widgets = {"divisions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divisions"].queryset = agency.divisions.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Membership.Role.DIVISION_STAFF and not cleaned.get("divisions"):
            self.add_error("divisions", _("Division staff need at least one division."))
        return cleaned


class InviteForm(forms.ModelForm):
    """A new person's account. They choose their password through the invitation e-mailed to
    them, so the e-mail address is required and no other account may have it."""

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "The invitation with the link to set a password goes here."
        )

    def clean_email(self):
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Another account has this e-mail address."))
        return email


class SignOffForm(forms.ModelForm):
    """The roles that sign the agency's printed reports (Agency.sign_off_lines)."""

    class Meta:
        model = Agency
        fields = ["sign_off_lines"]
        widgets = {"sign_off_lines": forms.Textarea(attrs={"rows": 4})}

    def clean_sign_off_lines(self):
        lines = [line.strip() for line in self.cleaned_data["sign_off_lines"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > limits.SIGN_OFF_LINES:
            raise forms.ValidationError(
                _("At most %(count)d roles sign a report.") % {"count": limits.SIGN_OFF_LINES}
            )
        if any(len(line) > limits.SIGN_OFF_ROLE_CHARS for line in lines):
            raise forms.ValidationError(
                _("A role is at most %(count)d characters long.")
                % {"count": limits.SIGN_OFF_ROLE_CHARS}
            )
        return "\n".join(lines)


class DivisionForm(forms.ModelForm):
    class Meta:
        model = Division
        fields = ["name", "order"]


class BaseDivisionFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        names = [
            form.cleaned_data["name"]
            for form in self.forms
            if form.cleaned_data.get("name") and not self._should_delete_form(form)
        ]
        if len(names) != len(set(names)):
            raise forms.ValidationError(_("Two divisions cannot have the same name."))
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.measures.exists():
                raise forms.ValidationError(
                    _("“%(name)s” is responsible for measures; it cannot be deleted.")
                    % {"name": form.instance.name}
                )


DivisionFormSet = forms.modelformset_factory(
    Division, form=DivisionForm, formset=BaseDivisionFormSet, extra=1, can_delete=True
)


def upload_field(label, help_text) -> forms.FileField:
    # Not required: the form says "choose a file" itself, or takes pasted text instead. An empty
    # file gets the import's own message, like an empty pasted text.
    return forms.FileField(label=label, help_text=help_text, required=False, allow_empty_file=True)


class UploadForm(forms.Form):
    """A file to import: its bytes (size-checked) and format, chosen by its name's extension.

    What the file really holds is checked by the import itself.
    """

    FORMATS: dict[str, str] = {}

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            raise forms.ValidationError(_("Choose a file."))
        extension = upload.name.rpartition(".")[2].lower()
        if extension not in self.FORMATS:
            raise forms.ValidationError(
                _("Files ending in %(extensions)s can be imported here.")
                % {"extensions": ", ".join(f".{e}" for e in self.FORMATS)}
            )
        cleaned["data"] = _read(upload)
        cleaned["format"] = self.FORMATS[extension]
        cleaned["filename"] = upload.name
        return cleaned


def _read(upload) -> bytes:
    try:
        return read_upload(upload)
    except SpreadsheetError as error:
        raise forms.ValidationError(str(error)) from None


class MeasuresImportForm(UploadForm):
    FORMATS = {"xlsx": "xlsx", "csv": "csv"}
    file = upload_field(
        _("Spreadsheet (.xlsx or .csv)"),
        _(
            "The columns of the exported file. Rows update the measures with the same number "
            "and add the others; measures not in the file are kept."
        ),
    )


class ReportImportForm(UploadForm):
    """Last year's report as a text or Word file, or its text pasted."""

    FORMATS = {"txt": "text", "docx": "docx", "html": "text", "htm": "text"}
    file = upload_field(
        _("Text, Word or web page file (.txt, .docx or .html)"),
        _("The whole table: its measures replace those of the report."),
    )
    # Kept as pasted, so that an error's line number is the line in the box.
    text = forms.CharField(
        label=_("Or paste the report's text"), required=False, widget=forms.Textarea, strip=False
    )

    def clean(self):
        text = self.cleaned_data.get("text", "")
        if text.strip() and self.cleaned_data.get("file"):
            raise forms.ValidationError(_("Choose a file or paste the text, not both."))
        if text.strip():
            data = _read(ContentFile(text.encode("utf-8")))
            return {"data": data, "format": "text", "filename": ""}
        return super().clean()


class DivisionMappingForm(forms.Form):
    """How to read each responsible unit of an imported file that is no division of the agency:
    as one of its divisions, as every division, or as a new division of that name."""

    def __init__(self, *args, names: list[str], divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names
        choices = [
            ("", "---------"),
            (ALL_DIVISIONS, _("every division")),
            (NEW_DIVISION, _("a new division of this name")),
            *((str(division.pk), division.name) for division in divisions),
        ]
        for index, name in enumerate(names):
            self.fields[f"unit-{index}"] = forms.ChoiceField(label=name, choices=choices)

    def choices(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"unit-{i}"] for i, name in enumerate(self.names)}


class AcceptedWordForm(forms.Form):
    """A word of the agency's own (a place or project name) that the spelling check accepts."""

    word = forms.CharField(
        label=_("Word"),
        max_length=AcceptedWord._meta.get_field("word").max_length,
        help_text=_("One word, without spaces, spelled as the report spells it."),
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency

    def clean_word(self):
        word = self.cleaned_data["word"]
        if thai.SPACES.search(word):
            raise forms.ValidationError(_("An accepted word is one word, without spaces."))
        if self.agency.accepted_words.filter(word=word).exists():
            raise forms.ValidationError(
                _("“%(word)s” is already on the list."), params={"word": word}
            )
        return word

    def save(self, by) -> AcceptedWord:
        return AcceptedWord.objects.create(
            agency=self.agency, word=self.cleaned_data["word"], added_by=by
        )


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the report withdrawn?"),
        help_text=_(
            "Kept with the report's history, for the agency's staff only; for example, "
            "“personal data in measure 3”."
        ),
        max_length=limits.WITHDRAWAL_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def deadline_field() -> forms.DateField:
    return forms.DateField(
        label=_("Hand-in deadline for the divisions"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The divisions are told by e-mail, and reminded a week before if they have not "
            "handed in. Leave it empty to set it later."
        ),
    )


def clean_deadline(value):
    if value and value < timezone.localdate():
        raise forms.ValidationError(_("The deadline cannot be in the past."))
    return value


class OpenYearForm(forms.Form):
    """How a fiscal year starts: from the measures of the agency's latest report, or empty."""

    start = forms.ChoiceField(label=_("Start with"), widget=forms.RadioSelect)
    deadline = deadline_field()

    def __init__(self, *args, previous: Report | None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("empty", _("An empty report: add the measures, or import them from a file"))]
        if previous is not None:
            choices.insert(
                0,
                (
                    "previous",
                    _(
                        "The measures of fiscal year %(year)s: titles, methods, periods, "
                        "divisions and target indicators, without results and outcomes"
                    )
                    % {"year": thai.thai_digits(previous.fiscal_year)},
                ),
            )
        self.fields["start"].choices = choices
        self.fields["start"].initial = choices[0][0]

    def clean_deadline(self):
        return clean_deadline(self.cleaned_data["deadline"])


class DeadlineForm(forms.Form):
    deadline = deadline_field()

    def clean_deadline(self):
        return clean_deadline(self.cleaned_data["deadline"])


class DecisionForm(forms.Form):
    """A workflow decision confirmed on its own page (approve, publish): nothing to fill."""

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report


class SubmitForm(DecisionForm):
    """Submitting asks why when a division has not handed in its part."""

    reason = forms.CharField(
        label=_("Why submit before every division has handed in?"),
        help_text=_("The approver reads it, and it is kept in the report's history."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = list(self.report.divisions_not_handed_in())
        if self.pending:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]


class ReturnForm(DecisionForm):
    """Sending back says why, and which divisions must correct their part."""

    reason = forms.CharField(
        label=_("What must be corrected?"),
        help_text=_(
            "The coordinator and the divisions you choose receive it by e-mail; it is kept "
            "in the report's history."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    divisions = forms.ModelMultipleChoiceField(
        Division.objects.none(),
        label=_("Divisions that must correct their part"),
        help_text=_("Their parts are reopened and they are told. None: only the coordinator."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divisions"].queryset = self.report.responsible_divisions()


class AnalysisForm(forms.ModelForm):
    """The coordinator's two texts of the plan's analysis; the figures beside them are computed."""

    class Meta:
        model = Report
        fields = ["analysis_urgent", "analysis_improve"]
        widgets = {
            "analysis_urgent": forms.Textarea(attrs={"rows": 4}),
            "analysis_improve": forms.Textarea(attrs={"rows": 4}),
        }
