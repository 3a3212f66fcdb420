from django import forms
from django.utils.translation import gettext_lazy as _

from measures.models import Agency
from measures.search import query_words


class IndexFilterForm(forms.Form):
    """The index's search and filters, sent by GET so that a result list has its own URL."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(
        label=_("Type of agency"),
        required=False,
        choices=[("", _("All types")), *Agency.Kind.choices],
    )

    def __init__(self, *args, provinces: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.words = []
        self.fields["province"].choices = [("", _("All provinces"))] + [(p, p) for p in provinces]

    def filter(self, agencies):
        """``agencies`` narrowed by what the visitor asked; a field not valid is left out."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("province"):
            agencies = agencies.filter(province=data["province"])
        if data.get("kind"):
            agencies = agencies.filter(kind=data["kind"])
        self.words = query_words(data.get("q", ""))
        return agencies.holding(self.words)

    @property
    def searching(self) -> bool:
        """Whether the visitor typed words to search for (after filter()); punctuation alone
        lists every agency, as no search does."""
        return bool(self.words)
