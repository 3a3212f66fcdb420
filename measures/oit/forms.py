"""The staff forms that add a link or a file as evidence, and replace a file."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures import thai
from measures.models import PlainTextFormField
from measures.oit.uploads import check_upload


def _checked(upload):
    try:
        return check_upload(upload)
    except forms.ValidationError as error:
        raise forms.ValidationError(error.messages[0]) from None


class EvidenceForm(forms.Form):
    """A link or a file, with what it shows."""

    title = PlainTextFormField(label=gettext_lazy("What it shows"), required=False, max_length=300)
    url = forms.URLField(
        label=gettext_lazy("Link (URL)"), required=False, max_length=2000, assume_scheme="https"
    )
    file = forms.FileField(
        label=gettext_lazy("or a file (PDF, JPEG, PNG, XLSX, DOCX)"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        url, upload = cleaned.get("url"), cleaned.get("file")
        if self.errors:
            return cleaned
        if bool(url) == bool(upload):
            raise forms.ValidationError(_("Give either a link or a file."))
        cleaned["upload"] = _checked(upload) if upload else None
        return cleaned


class ResultEvidenceForm(EvidenceForm):
    """Evidence of one of a measure's results."""

    field_order = ["result", "title", "url", "file"]

    def __init__(self, *args, results: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"] = forms.TypedChoiceField(
            label=gettext_lazy("Result"),
            coerce=int,
            choices=[
                (number, f"{thai.thai_digits(number)}. {text[:80]}")
                for number, text in enumerate(results, 1)
            ],
        )
        self.order_fields(self.field_order)


class ReplaceFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("New version of the file"))

    def clean_file(self):
        return _checked(self.cleaned_data["file"])
