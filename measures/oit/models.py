"""OIT item lists per assessment year, and the links and files agencies give as evidence."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from measures import thai
from measures.models import Agency, Measure, PlainTextField, Report, year_in_range, year_validators


class OitList(models.Model):
    """The OIT items of one assessment year, as far as they are known.

    The national form changes from year to year and is not always published in full: how sure
    the list is and where it comes from are kept with it, for the administrators who correct it.
    """

    class Confidence(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        PARTIAL = "partial", _("partial")
        LOW = "low", _("low confidence")

    year = models.PositiveSmallIntegerField(
        _("assessment year (B.E.)"), unique=True, validators=year_validators
    )
    confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence.choices)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("OIT item list")
        verbose_name_plural = _("OIT item lists")
        constraints = [models.CheckConstraint(condition=year_in_range("year"), name="oit_year_be")]

    def __str__(self):
        return f"OIT {thai.thai_digits(self.year)}"


class OitItem(models.Model):
    """One item (ข้อ) of a year's OIT list, e.g. O42 มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน.

    Its public URL on an agency's ITA page is made from its id, not its code: the code of an item
    may still be corrected in the admin after agencies have given the URL to the assessors.
    """

    class SatisfiedBy(models.TextChoices):
        EVIDENCE = "evidence", _("evidence the agency gives")
        REPORT = "report", _("the report this portal publishes")
        PLAN = "plan", _("the measures plan this portal publishes")
        ANALYSIS = "analysis", _("the analysis of last year's result this portal publishes")

    oit_list = models.ForeignKey(
        OitList, models.CASCADE, verbose_name=_("OIT item list"), related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    # Blank where the year's number of the item is not known (2568's measure items).
    code = models.CharField(_("code"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=500)
    group = models.CharField(_("sub-indicator"), max_length=300, blank=True)
    satisfied_by = models.CharField(
        _("satisfied by"), max_length=20, choices=SatisfiedBy.choices, default=SatisfiedBy.EVIDENCE
    )
    # The portal's document of which fiscal year satisfies the item: 2569's O26 is the report on
    # fiscal year 2568's measures (-1).
    fiscal_year_offset = models.SmallIntegerField(_("fiscal year of the document"), default=0)

    class Meta:
        ordering = ["oit_list", "order"]
        verbose_name = _("OIT item")
        verbose_name_plural = _("OIT items")
        constraints = [
            models.UniqueConstraint(fields=["oit_list", "order"], name="oit_item_unique_order"),
            models.UniqueConstraint(
                fields=["oit_list", "code"], condition=~Q(code=""), name="oit_item_unique_code"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    @property
    def document_year(self) -> int:
        return self.oit_list.year + self.fiscal_year_offset


class EvidenceQuerySet(models.QuerySet):
    def for_items(self, agency: Agency, year: int):
        return self.filter(agency=agency, oit_item__oit_list__year=year)

    def for_results(self, report: Report):
        return self.filter(measure__report=report)


class Evidence(models.Model):
    """A link or a file an agency gives for one OIT item of a year, or for one result of a measure.

    A file keeps every version uploaded (EvidenceFile); its public URL names the evidence, not
    the version, so a file replaced keeps the URL the assessors were given.
    """

    class Kind(models.TextChoices):
        LINK = "link", _("link")
        FILE = "file", _("file")

    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="evidence", verbose_name=_("agency")
    )
    oit_item = models.ForeignKey(
        OitItem,
        models.CASCADE,
        related_name="evidence",
        null=True,
        blank=True,
        verbose_name=_("OIT item"),
    )
    # A result is named by its number within the measure: the measure editor saves the results
    # list anew each time, and the evidence must outlive that.
    measure = models.ForeignKey(
        Measure,
        models.CASCADE,
        related_name="evidence",
        null=True,
        blank=True,
        verbose_name=_("measure"),
    )
    result_number = models.PositiveSmallIntegerField(_("result number"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = PlainTextField(_("description"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    oit_item__isnull=False, measure__isnull=True, result_number__isnull=True
                )
                | Q(oit_item__isnull=True, measure__isnull=False, result_number__gte=1),
                name="evidence_item_or_result",
            ),
            models.CheckConstraint(
                condition=Q(kind="link", url__gt="") | Q(kind="file", url=""),
                name="evidence_link_has_url",
            ),
        ]

    def __str__(self):
        if self.title or self.url:
            return self.title or self.url
        version = self.current_file()
        return version.name if version else str(self.pk)

    def current_file(self):
        """The newest version (from ``files`` as prefetched, when it is)."""
        files = list(self.files.all())
        return files[-1] if files else None


EVIDENCE_DIR = "evidence"


def evidence_upload_to(instance, filename: str) -> str:
    """Named by content: the same file uploaded twice is one object in the storage."""
    extension = filename.rsplit(".", 1)[-1]
    return f"{EVIDENCE_DIR}/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class EvidenceFile(models.Model):
    """One uploaded version of a file evidence; the newest is the one shown."""

    evidence = models.ForeignKey(
        Evidence, models.CASCADE, related_name="files", verbose_name=_("evidence")
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    # The name as the agency gave it (shortened safely), sent back in Content-Disposition.
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["evidence", "pk"]
        verbose_name = _("evidence file version")
        verbose_name_plural = _("evidence file versions")

    def __str__(self):
        return self.name

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()
