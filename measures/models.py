import hashlib
import json
from datetime import UTC
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from itaportal import limits
from measures import thai
from measures.search import name_text, published_texts, query_words, search_text

# Buddhist-Era years only: a Gregorian year typed by mistake (2025) is refused by the database.
MIN_YEAR, MAX_YEAR = 2500, 2700
year_validators = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
MONTH_CHOICES = list(MONTHS.items())
# Who signs a printed report unless its agency says otherwise: the preparer, the checker and
# the approver, each on a signature line.
SIGN_OFF_ROLES = (
    gettext_noop("Prepared by"),
    gettext_noop("Checked by"),
    gettext_noop("Approved by"),
)


def year_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR})


@deconstructible
class MaxCharsValidator(BaseValidator):
    """At most ``limit_value`` characters, said with both counts in Thai digits."""

    message = _("This text has %(show_value)s characters; at most %(limit_value)s are accepted.")
    code = "max_length"

    def __call__(self, value):
        length = len(value)
        if length > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "show_value": thai.thai_digits(f"{length:,}"),
                    "limit_value": thai.thai_digits(f"{self.limit_value:,}"),
                    "value": value,
                },
            )


class PlainTextFormField(forms.CharField):
    """A form's free text, stored as ``thai.plain_text`` gives it (see PlainTextField).

    The length is checked on the server, not by the browser's maxlength, which would cut a
    pasted text without a word.
    """

    def __init__(self, *, max_length=None, **kwargs):
        super().__init__(**kwargs)
        if max_length is not None:
            self.validators.append(MaxCharsValidator(max_length))

    def to_python(self, value):
        return thai.plain_text(super().to_python(value))


class PlainTextField(models.TextField):
    """Free text of the report (a title, an item, the introduction): one paragraph, invisible
    and control characters removed on the way in, at most ``max_length`` characters."""

    @property
    def validators(self):
        return [*super().validators, MaxCharsValidator(self.max_length)]

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else thai.plain_text(value)

    def pre_save(self, model_instance, add):
        # Also on bulk_create and on every path that skips full_clean (imports, services).
        value = self.to_python(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PlainTextFormField, **kwargs})


class KeptVector(SearchVector):
    """A column's words as PostgreSQL's full-text search keeps them (``simple`` configuration,
    positions stripped: the search asks only whether a word is there, and a vector without them
    is a third of the size, often small enough to stay in the table's row). SQLite has no
    full-text vector: the column stays NULL there, and the search reads the text itself."""

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return f"strip({sql})", params

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


def kept_vector(column: str) -> models.GeneratedField:
    """A stored column the database computes from ``column`` on every insert and update (save,
    bulk_create, update(), a migration), so that the search never computes a vector itself."""
    return models.GeneratedField(
        expression=KeptVector(column, config="simple"),
        output_field=SearchVectorField(null=True),
        db_persist=True,
        editable=False,
    )


class AgencyQuerySet(models.QuerySet):
    def for_lists(self):
        """Without the kept search text and vectors, kilobytes an agency that a list of
        agencies never shows."""
        return self.defer("search_text", "search_names", "search_vector", "names_vector")

    def search(self, query: str):
        """Agencies whose names, place or published reports hold every word of ``query``, as
        ``search_rank``: 0 when the names and place alone hold them (listed first), else 1.

        Words match by prefix ("พะ" finds "พะไล") on PostgreSQL's full-text search, served by the
        GIN index of the kept vector; elsewhere each word is looked for as a substring.
        """
        return self.holding(query_words(query))

    def holding(self, words: list[str]):
        """search() for words already cut (query_words)."""
        if not words:
            return self.annotate(search_rank=Value(0))
        if connection.vendor == "postgresql":
            tsquery = SearchQuery(
                " & ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
            )
            found = self.filter(search_vector=tsquery)
            by_name = Q(names_vector=tsquery)
        else:
            found = self.filter(*(Q(search_text__icontains=word) for word in words))
            by_name = Q(*(Q(search_names__icontains=word) for word in words))
        return found.annotate(search_rank=Case(When(by_name, then=0), default=1))

    def first_found(self, limit: int) -> list:
        """The first ``limit`` agencies of a search(), read through the GIN index.

        A word that most agencies' reports hold ("มาตรการ") makes PostgreSQL's planner read the
        whole table instead, which is estimated a little cheaper but tests every agency's
        vector, kilobytes kept out of the row (TOAST): about 20 times slower than the index,
        which answers without reading them. The planner cannot know that; the search tells it.
        """
        if connection.vendor != "postgresql":
            return list(self[:limit])
        # No savepoint: SET LOCAL lasts until the end of the transaction, the request's own or
        # this one's.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            return list(self[:limit])


# First path segments of the portal's own pages (itaportal/urls.py): an agency slug that took one
# would hide that agency's public pages behind them.
RESERVED_SLUGS = frozenset(
    {"accounts", "admin", "healthz", "i18n", "language", "media", "open-data", "staff", "static"}
)


def validate_agency_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is a page of the portal itself; choose another URL slug."),
            params={"slug": value},
        )


def acting_user(verbose_name):
    """Who did something. The record outlives the account: deleting a user keeps it, unnamed."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        related_name="+",
    )


class Agency(models.Model):
    """A public agency (หน่วยงาน) that publishes its own ITA measure reports."""

    class Kind(models.TextChoices):
        SAO = "sao", _("Subdistrict Administrative Organization (SAO)")
        SUBDISTRICT_MUNICIPALITY = "tambon", _("Subdistrict municipality")
        TOWN_MUNICIPALITY = "mueang", _("Town municipality")
        CITY_MUNICIPALITY = "nakhon", _("City municipality")
        PAO = "pao", _("Provincial Administrative Organization (PAO)")
        GOVERNMENT = "government", _("Government agency")
        OTHER = "other", _("Other agency")

    name = models.CharField(_("full name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    district = models.CharField(_("district"), max_length=100, blank=True)
    # Blank for a national body (a ministry, a department), which the cover then names alone.
    province = models.CharField(_("province"), max_length=100, blank=True)
    slug = models.SlugField(
        _("URL slug"), unique=True, max_length=80, validators=[validate_agency_slug]
    )
    # The code the assessment's results files know the agency by (e.g. the 7-digit code of a
    # local administrative organisation); results imports match on it before the full name.
    # NULL, not "", for none: unique among the agencies that have one, and SQLite adds a
    # nullable column without rebuilding the table (which would rebuild the PostgreSQL-only
    # index below).
    code = models.CharField(_("agency code"), max_length=20, null=True, blank=True)  # noqa: DJ001
    name_en = models.CharField(
        _("name in English or romanised"),
        max_length=200,
        blank=True,
        help_text=_("For example Mueang Phalai Subdistrict Administrative Organization."),
    )
    # The names and place, then the words of the published reports, cut into words
    # (measures.search), kept up to date on save and on publish so that the index searches one
    # column; the names and place alone rank a match first.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    search_names = models.TextField(_("searched names"), blank=True, editable=False)
    # The newest fiscal year of a report the public may read (None: nothing public), kept with
    # the search text on save and on publish: the index lists and orders agencies by it without
    # joining every report and publication of thousands of agencies.
    latest_public_year = models.PositiveSmallIntegerField(
        _("newest published fiscal year"), null=True, editable=False
    )
    # Both as PostgreSQL's full-text search reads them, kept by the database itself; NULL on
    # SQLite. Lists of agencies leave them out (AgencyQuerySet.for_lists).
    search_vector = kept_vector("search_text")
    names_vector = kept_vector("search_names")
    # Who signs the printed report, one role a line; empty means the usual three
    # (SIGN_OFF_ROLES). Each gets a signature line in the PDF.
    sign_off_lines = models.TextField(
        _("sign-off lines"),
        blank=True,
        help_text=_(
            "One role a line, each printed under a signature line. Empty: the preparer, the "
            "checker and the approver."
        ),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        # Created on PostgreSQL only (migrations 0010, 0019): SQLite's search reads the text.
        indexes = [GinIndex(fields=["search_vector"], name="agency_search_gin")]
        # A partial unique index rather than unique=True, for the same reason as code's NULL.
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(code__isnull=False), name="agency_unique_code"
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.search_names = name_text(self)
        self.search_text, self.latest_public_year = self.public_words_and_year()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "search_text",
                "search_names",
                "latest_public_year",
            }
        super().save(*args, **kwargs)

    def sign_off_roles(self) -> list[str]:
        """The roles that sign the printed report, in Thai: the agency's, or the usual three."""
        roles = [line.strip() for line in self.sign_off_lines.splitlines() if line.strip()]
        if roles:
            return roles
        with translation.override("th"):
            return [gettext(role) for role in SIGN_OFF_ROLES]

    def public_words_and_year(self) -> tuple[str, int | None]:
        """What the index's search looks in (the names and place, and the words of the reports
        the public sees) and the newest fiscal year of those reports."""
        if self.pk is None:
            return search_text(name_text(self)), None
        publications = Publication.objects.public().reports().filter(report__agency_id=self.pk)
        rows = list(
            publications.order_by("version").values_list(
                "report", "report__fiscal_year", "document"
            )
        )
        texts = published_texts((report, document) for report, _year, document in rows)
        return search_text(name_text(self), *texts), max((row[1] for row in rows), default=None)

    def division_names(self) -> list[str]:
        return list(self.divisions.values_list("name", flat=True))

    def mapped_division_names(self) -> dict[str, list[str]]:
        """Each remembered name (DivisionMapping) and the division names it is read as."""
        names = self.division_names()
        return {
            mapping.name: names
            if mapping.all_divisions
            else [d.name for d in mapping.divisions.all()]
            for mapping in self.division_mappings.prefetch_related("divisions")
        }


class Division(models.Model):
    """A division (ส่วนราชการ) of one agency: สำนักปลัด, กองคลัง, …"""

    agency = models.ForeignKey(
        Agency, models.CASCADE, verbose_name=_("agency"), related_name="divisions"
    )
    name = models.CharField(_("division name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["agency", "order", "name"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="division_unique_name"),
        ]

    def __str__(self):
        return self.name


class DivisionMapping(models.Model):
    """How the agency's report imports read a responsible unit that is not one of its divisions
    ("งานพัสดุ", "ทุกฝ่าย"): as some of its divisions, or as all of them. The coordinator chooses
    it in an import's preview; the agency's later imports read the name so again."""

    agency = models.ForeignKey(
        Agency, models.CASCADE, verbose_name=_("agency"), related_name="division_mappings"
    )
    name = models.CharField(_("name in the file"), max_length=200)
    divisions = models.ManyToManyField(
        Division, verbose_name=_("read as the divisions"), related_name="+", blank=True
    )
    all_divisions = models.BooleanField(_("read as every division"), default=False)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("division mapping")
        verbose_name_plural = _("division mappings")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="division_mapping_unique_name"),
        ]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """One of the ten ITA indicators (ตัวชี้วัด). Reference data loaded by a migration."""

    class Group(models.TextChoices):
        IIT = "IIT", _("IIT: internal stakeholders' perception")
        EIT = "EIT", _("EIT: external stakeholders' perception")
        OIT = "OIT", _("OIT: open data")

    number = models.PositiveSmallIntegerField(_("indicator number"), unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    group = models.CharField(_("instrument"), max_length=3, choices=Group.choices)

    class Meta:
        ordering = ["number"]
        verbose_name = _("ITA indicator")
        verbose_name_plural = _("ITA indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=10), name="indicator_number_1_10"
            ),
        ]

    def __str__(self):
        return f"ตัวชี้วัดที่ {thai.thai_digits(self.number)} {self.name_th}"


class IndicatorScoreQuerySet(models.QuerySet):
    def for_years(self, agency, *years):
        return self.filter(agency=agency, fiscal_year__in=years).select_related("indicator")


class IndicatorScore(models.Model):
    """An agency's ITA score on one indicator in one fiscal year.

    Only the score is stored; the change from the year before is derived from last year's row.
    """

    agency = models.ForeignKey(
        Agency, models.CASCADE, verbose_name=_("agency"), related_name="scores"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=year_validators
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, verbose_name=_("indicator"), related_name="scores"
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    objects = IndicatorScoreQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "-fiscal_year", "indicator__number"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year", "indicator"], name="score_unique_per_year"
            ),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="score_0_100"),
            models.CheckConstraint(condition=year_in_range("fiscal_year"), name="score_year_be"),
        ]

    def __str__(self):
        return f"{self.agency} {thai.thai_digits(self.fiscal_year)} {self.indicator}: {self.score}"


score_validators = [MinValueValidator(0), MaxValueValidator(100)]


def score_field(verbose_name, **kwargs):
    """A score of 0–100 with two decimals, as the assessment announces it (๙๑.๒๕)."""
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=score_validators, **kwargs
    )


class LevelRuleQuerySet(models.QuerySet):
    def level(self, year: int, overall, parts=()) -> str:
        """The level the rules of assessment year ``year`` give an overall score and its
        IIT/EIT/OIT ``parts``; "" when the year has no rules or no rule fits."""
        return LevelRule.level_from(self.for_year(year), overall, parts)

    def for_year(self, year: int) -> list["LevelRule"]:
        # The most demanding rule first: a higher bound, then one that also asks of the parts.
        rules = self.filter(fiscal_year=year)
        return list(rules.order_by("-min_score", F("min_part").desc(nulls_last=True)))


class LevelRule(models.Model):
    """One level of one assessment year's scale: the label a result gets from ``min_score`` up.

    The scale changed over the years (letters AA–F up to 2566, named levels such as ผ่านดีเยี่ยม
    from 2567) and may change again: administrators edit these rows, the code holds no scale.
    A named level may also ask that each of IIT, EIT and OIT reach ``min_part``.
    """

    fiscal_year = models.PositiveSmallIntegerField(
        _("assessment year (B.E.)"), validators=year_validators
    )
    label = models.CharField(_("level"), max_length=50)
    min_score = score_field(_("lowest overall score"))
    min_part = score_field(_("lowest IIT, EIT and OIT score"), null=True, blank=True)
    passed = models.BooleanField(_("passes the assessment"), default=True)

    objects = LevelRuleQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "-min_score"]
        verbose_name = _("level rule")
        verbose_name_plural = _("level rules")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "label"], name="level_unique_label"),
            models.CheckConstraint(
                condition=Q(min_score__gte=0, min_score__lte=100), name="level_min_score_0_100"
            ),
            models.CheckConstraint(condition=year_in_range("fiscal_year"), name="level_year_be"),
        ]

    def __str__(self):
        return f"{thai.thai_digits(self.fiscal_year)} {self.label} ≥ {self.min_score}"

    @staticmethod
    def level_from(rules: list["LevelRule"], overall, parts=()) -> str:
        """The label of the first of ``rules`` (a year's, as ``for_year`` orders them) that
        fits: for many results of one year, read the rules once."""
        return next((rule.label for rule in rules if rule.fits(overall, parts)), "")

    def fits(self, overall, parts=()) -> bool:
        if overall < self.min_score:
            return False
        if self.min_part is None:
            return True
        return len(parts) == 3 and all(p is not None and p >= self.min_part for p in parts)


class ItaResult(models.Model):
    """An agency's ITA result of one assessment year: the overall score and its three parts.

    The level is never stored: it is read from the year's LevelRule rows, so that correcting a
    rule corrects every level shown.
    """

    # The overall score is 0.30·IIT + 0.30·EIT + 0.40·OIT, as the assessment rounds it.
    WEIGHTS = {"iit": Decimal("0.30"), "eit": Decimal("0.30"), "oit": Decimal("0.40")}
    TOLERANCE = Decimal("0.01")

    agency = models.ForeignKey(
        Agency, models.CASCADE, verbose_name=_("agency"), related_name="ita_results"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("assessment year (B.E.)"), validators=year_validators
    )
    overall = score_field(_("overall score"))
    iit = score_field(_("IIT score"), null=True, blank=True)
    eit = score_field(_("EIT score"), null=True, blank=True)
    oit = score_field(_("OIT score"), null=True, blank=True)

    class Meta:
        ordering = ["agency", "-fiscal_year"]
        verbose_name = _("ITA result")
        verbose_name_plural = _("ITA results")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"], name="ita_result_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(overall__gte=0, overall__lte=100)
                & (Q(iit__isnull=True) | Q(iit__gte=0, iit__lte=100))
                & (Q(eit__isnull=True) | Q(eit__gte=0, eit__lte=100))
                & (Q(oit__isnull=True) | Q(oit__gte=0, oit__lte=100)),
                name="ita_result_0_100",
            ),
            models.CheckConstraint(
                condition=year_in_range("fiscal_year"), name="ita_result_year_be"
            ),
        ]

    def __str__(self):
        return f"{self.agency} {thai.thai_digits(self.fiscal_year)}: {self.overall}"

    @property
    def parts(self) -> tuple:
        return (self.iit, self.eit, self.oit)

    @property
    def level(self) -> str:
        return LevelRule.objects.level(self.fiscal_year, self.overall, self.parts)

    @classmethod
    def weighting_error(cls, overall, iit, eit, oit) -> Decimal | None:
        """The weighted sum of the parts when it does not give ``overall`` (±0.01), else None."""
        if None in (overall, iit, eit, oit):
            return None
        weighted = sum(
            (w * v for w, v in zip(cls.WEIGHTS.values(), (iit, eit, oit), strict=True)),
            Decimal(0),
        ).quantize(Decimal("0.01"))
        return None if abs(weighted - overall) <= cls.TOLERANCE else weighted

    def clean(self):
        parts = [p for p in self.parts if p is not None]
        if parts and len(parts) != 3:
            raise ValidationError(_("Give all three parts (IIT, EIT, OIT) or none."))
        if (weighted := self.weighting_error(self.overall, *self.parts)) is not None:
            raise ValidationError(
                {
                    "overall": _(
                        "0.30 × IIT + 0.30 × EIT + 0.40 × OIT gives %(weighted)s, "
                        "not the overall score."
                    )
                    % {"weighted": thai.thai_digits(f"{weighted:.2f}")}
                }
            )


def public_publication(path: str) -> Q:
    """Rows joined along ``path`` (e.g. "reports__publications") to a report publication the
    public may read: one that exists and was not withdrawn."""
    return Q(
        **{
            f"{path}__isnull": False,
            f"{path}__withdrawn_at__isnull": True,
            f"{path}__kind": Publication.Kind.REPORT,
        }
    )


class ReportQuerySet(models.QuerySet):
    def published(self):
        """Reports the public may read: those with a publication not withdrawn."""
        return self.filter(
            Exists(Publication.objects.public().reports().filter(report=OuterRef("pk")))
        )

    def previewable_by(self, user):
        """Reports whose live draft ``user`` may see: any member of the agency, or a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(agency__memberships__user=user)


class Report(models.Model):
    """An agency's report on its integrity measures for one fiscal year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for approval")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    agency = models.ForeignKey(
        Agency, models.CASCADE, verbose_name=_("agency"), related_name="reports"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=year_validators
    )
    introduction = PlainTextField(
        _("introductory sentence"), blank=True, max_length=limits.INTRODUCTION_CHARS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The head of agency's sign-off of the current revision, copied as written on the day: the
    # printed block keeps the name and position even if the user account changes later.
    approved_by = acting_user(_("approved by"))
    approver_name = models.CharField(_("approver's name"), max_length=200, blank=True)
    approver_position = models.CharField(_("approver's position"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # The day by which the coordinator asks every division to hand in its part of the year.
    deadline = models.DateField(_("hand-in deadline"), null=True, blank=True)
    # The plan's analysis of last year's result: the figures are computed (measures/analysis.py),
    # these two texts are the coordinator's.
    analysis_urgent = PlainTextField(
        _("weaknesses to fix urgently"), blank=True, max_length=limits.INTRODUCTION_CHARS
    )
    analysis_improve = PlainTextField(
        _("issues to improve"), blank=True, max_length=limits.INTRODUCTION_CHARS
    )
    # The head of agency's sign-off of the plan, given to the plan as it was then (its digest):
    # the plan's measures are the report's, so any edit of them asks for a new approval.
    plan_approved_by = acting_user(_("plan approved by"))
    plan_approver_name = models.CharField(_("plan approver's name"), max_length=200, blank=True)
    plan_approver_position = models.CharField(
        _("plan approver's position"), max_length=200, blank=True
    )
    plan_approved_on = models.DateField(_("plan approved on"), null=True, blank=True)
    plan_approved_digest = models.CharField(
        _("approved plan digest"), max_length=32, blank=True, editable=False
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "-fiscal_year"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"], name="report_unique_per_year"
            ),
            models.CheckConstraint(condition=year_in_range("fiscal_year"), name="report_year_be"),
        ]

    def __str__(self):
        year = thai.thai_digits(self.fiscal_year)
        return f"รายงานผลการดำเนินการ ปีงบประมาณ พ.ศ. {year} {self.agency}"

    def latest_publication(self, kind: str = "report"):
        """What the public sees: the newest published version of the report (or of the plan,
        ``kind="plan"``), even while a revision is drafted; None once it is withdrawn, until it
        is published again."""
        return self.publications.public().filter(kind=kind).order_by("-version").first()

    def approval(self) -> dict | None:
        if not self.approved_on:
            return None
        return {
            "name": self.approver_name,
            "position": self.approver_position,
            "date": self.approved_on.isoformat(),
        }

    def is_previewable_by(self, user) -> bool:
        return Report.objects.previewable_by(user).filter(pk=self.pk).exists()

    def reopen(self) -> None:
        """An edit after submission, approval or publication starts a new draft revision.

        The approval was given to what the approver saw, so it goes too; the public keeps the
        last publication until the next one.
        """
        if self.status == Report.Status.DRAFT:
            return
        self.status = Report.Status.DRAFT
        self.approved_by, self.approver_name, self.approver_position = None, "", ""
        self.approved_on = None
        self.save(
            update_fields=[
                "status",
                "approved_by",
                "approver_name",
                "approver_position",
                "approved_on",
            ]
        )

    def responsible_divisions(self):
        """The divisions responsible for at least one of the report's measures."""
        return Division.objects.filter(measures__report=self).distinct()

    def divisions_not_handed_in(self):
        return self.responsible_divisions().exclude(hand_ins__report=self)

    def default_introduction(self):
        return (
            f"{self.agency.name} มีการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
            f"ปีงบประมาณ พ.ศ. {thai.thai_digits(self.fiscal_year)} ซึ่งมีผลการดำเนินการดังนี้"
        )


class MeasureQuerySet(models.QuerySet):
    def for_division(self, division):
        return self.filter(divisions=division)

    def incomplete(self):
        """Measures that still miss their results or their outcomes."""
        results = Result.objects.filter(measure=OuterRef("pk"))
        outcomes = Outcome.objects.filter(measure=OuterRef("pk"))
        return self.exclude(Exists(results) & Exists(outcomes))

    def with_lists(self):
        """Everything the six-column table shows, in a fixed number of queries."""
        return self.prefetch_related(
            "divisions",
            "indicators",
            "methods",
            "results",
            "outcomes__indicator",
            "evidence__files",
        )


class Measure(models.Model):
    """A measure, project or activity (มาตรการ/โครงการ/กิจกรรม): one row of the report's table."""

    report = models.ForeignKey(
        Report, models.CASCADE, verbose_name=_("report"), related_name="measures"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = PlainTextField(_("measure, project or activity"), max_length=limits.TITLE_CHARS)
    # The period is kept as months, which is all the report states. It may be unknown while a
    # measure is being drafted, but then it is unknown as a whole.
    start_month = models.PositiveSmallIntegerField(
        _("start month"), choices=MONTH_CHOICES, null=True, blank=True
    )
    start_year = models.PositiveSmallIntegerField(
        _("start year (B.E.)"), validators=year_validators, null=True, blank=True
    )
    end_month = models.PositiveSmallIntegerField(
        _("end month"), choices=MONTH_CHOICES, null=True, blank=True
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year (B.E.)"), validators=year_validators, null=True, blank=True
    )
    # The plan's budget in baht; None prints as ไม่ใช้งบประมาณ ("no budget used").
    budget = models.DecimalField(
        _("budget (baht)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    divisions = models.ManyToManyField(
        Division, verbose_name=_("responsible divisions"), related_name="measures"
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("target indicators"), related_name="measures", blank=True
    )
    # Optimistic locking: every saved edit adds one, and a save made from an older version is
    # refused instead of silently overwriting someone else's work.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("last edited at"), null=True, blank=True)
    updated_by = acting_user(_("last edited by"))

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="measure_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="measure_number_positive"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="measure_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    start_month__isnull=True,
                    start_year__isnull=True,
                    end_month__isnull=True,
                    end_year__isnull=True,
                )
                | Q(
                    start_month__isnull=False,
                    start_year__isnull=False,
                    end_month__isnull=False,
                    end_year__isnull=False,
                    start_month__gte=1,
                    start_month__lte=12,
                    end_month__gte=1,
                    end_month__lte=12,
                    start_year__gte=MIN_YEAR,
                    end_year__lte=MAX_YEAR,
                )
                & (
                    Q(start_year__lt=F("end_year"))
                    | Q(start_year=F("end_year"), start_month__lte=F("end_month"))
                ),
                # NULL compares as unknown, which a CHECK lets through: hence the explicit
                # IS NOT NULLs, so that half a period is refused.
                name="measure_period_valid",
            ),
        ]

    def __str__(self):
        return f"{thai.thai_digits(self.number)}. {self.title}"

    @property
    def has_period(self):
        return self.start_month is not None

    @property
    def period_display(self):
        if not self.has_period:
            return ""
        return thai.format_period(self.start_month, self.start_year, self.end_month, self.end_year)

    def clean(self):
        period = [self.start_month, self.start_year, self.end_month, self.end_year]
        if any(value is None for value in period):
            if any(value is not None for value in period):
                raise ValidationError(_("Give the period in full: start and end month and year."))
            return
        if thai.month_index(self.end_month, self.end_year) < thai.month_index(
            self.start_month, self.start_year
        ):
            raise ValidationError(
                {"end_month": _("The end month cannot be before the start month.")}
            )


class MeasureItem(models.Model):
    """One numbered item of a measure's list; the number printed is its order, never text."""

    order = models.PositiveSmallIntegerField(_("order"))
    text = PlainTextField(_("text"), max_length=limits.ITEM_CHARS)
    # 0: an item (๑.), 1: a sub-item of the item before it (๑.๑); see measures/items.py.
    level = models.PositiveSmallIntegerField(
        _("level"), choices=[(0, _("item")), (1, _("sub-item"))], default=0
    )

    class Meta:
        abstract = True
        ordering = ["measure", "order"]

    def __str__(self):
        return f"{thai.thai_digits(self.order)}. {self.text}"

    @staticmethod
    def list_constraints(prefix):
        return [
            models.UniqueConstraint(fields=["measure", "order"], name=f"{prefix}_unique_order"),
            models.CheckConstraint(condition=Q(order__gte=1), name=f"{prefix}_order_positive"),
            models.CheckConstraint(condition=Q(level__lte=1), name=f"{prefix}_level_item_or_sub"),
        ]


class Method(MeasureItem):
    measure = models.ForeignKey(
        Measure, models.CASCADE, verbose_name=_("measure"), related_name="methods"
    )

    class Meta(MeasureItem.Meta):
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        constraints = MeasureItem.list_constraints("method")


class Result(MeasureItem):
    measure = models.ForeignKey(
        Measure, models.CASCADE, verbose_name=_("measure"), related_name="results"
    )

    class Meta(MeasureItem.Meta):
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = MeasureItem.list_constraints("result")


class Outcome(MeasureItem):
    measure = models.ForeignKey(
        Measure, models.CASCADE, verbose_name=_("measure"), related_name="outcomes"
    )
    indicator = models.ForeignKey(
        Indicator,
        models.PROTECT,
        verbose_name=_("cited indicator"),
        related_name="outcomes",
        null=True,
        blank=True,
    )
    # When set, the report adds a sentence computed from the stored scores of ``indicator``,
    # so that the figure printed can never disagree with the scores.
    cite_score = models.BooleanField(_("cite the indicator's score"), default=False)

    class Meta(MeasureItem.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = MeasureItem.list_constraints("outcome")


class PublicationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(withdrawn_at__isnull=True)

    def reports(self):
        return self.filter(kind=Publication.Kind.REPORT)


class Publication(models.Model):
    """One published version of a report, frozen.

    The public page, the PDF and the open data are rendered from ``document``, a copy of everything
    the report showed when it was published (measures, scores, sign-off). Later edits of the report
    start a new revision and never change what was published, like an issued invoice.

    A withdrawn publication stays on record for the agency's staff, with who withdrew it, when
    and why, but the public never sees it again.
    """

    class Kind(models.TextChoices):
        # The year's two documents are the same measures: the plan at the start of the year,
        # the report of what was done at its end. Each is published, versioned and withdrawn
        # on its own.
        REPORT = "report", _("report")
        PLAN = "plan", _("measures plan")

    report = models.ForeignKey(
        Report, models.CASCADE, verbose_name=_("report"), related_name="publications"
    )
    kind = models.CharField(_("document"), max_length=10, choices=Kind.choices, default="report")
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    published_by = acting_user(_("published by"))
    document = models.JSONField(_("published content"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = acting_user(_("withdrawn by"))
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"), blank=True, max_length=limits.WITHDRAWAL_REASON_CHARS
    )
    # What the kept page, PDFs and ETags are named by (reports/artefacts.py): never the id and
    # version, which a restored or reset database hands out again for other content.
    digest = models.CharField(_("content digest"), max_length=32, editable=False)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["report", "-version"]
        get_latest_by = "version"
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "version"], name="publication_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="publication_version_positive"
            ),
            # A withdrawal always says why.
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="publication_withdrawal_has_reason",
            ),
        ]

    def __str__(self):
        if self.kind == Publication.Kind.PLAN:
            year, version = (
                thai.thai_digits(self.report.fiscal_year),
                thai.thai_digits(self.version),
            )
            return f"มาตรการ ปีงบประมาณ พ.ศ. {year} {self.report.agency} ฉบับที่ {version}"
        return f"{self.report} ฉบับที่ {thai.thai_digits(self.version)}"

    def save(self, *args, **kwargs):
        self.digest = frozen_digest(self.document, self.version, self.published_at)
        super().save(*args, **kwargs)


def content_digest(content) -> str:
    """A digest of JSON-serialisable content, whatever the order of its keys."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def frozen_digest(document: dict, version: int, published_at) -> str:
    """A digest of everything a publication shows: its document, its version and its date (the
    open data and the archival PDF carry both)."""
    published_at = published_at.astimezone(UTC).isoformat()
    return content_digest({"document": document, "version": version, "published_at": published_at})


class Membership(models.Model):
    """A user's place in one agency: what they may see and change there."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("ITA coordinator")
        DIVISION_STAFF = "division_staff", _("division staff")
        APPROVER = "approver", _("approver (head of agency)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, verbose_name=_("user"), related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, models.CASCADE, verbose_name=_("agency"), related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Division staff edit the measures of these divisions only.
    divisions = models.ManyToManyField(
        Division, verbose_name=_("divisions"), related_name="memberships", blank=True
    )
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        ordering = ["agency", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # One user belongs to one agency; their role there may change, not multiply.
            models.UniqueConstraint(fields=["user"], name="membership_one_agency_per_user"),
        ]

    def __str__(self):
        return f"{self.user} – {self.agency} ({self.get_role_display()})"

    @property
    def is_coordinator(self):
        return self.role == self.Role.COORDINATOR

    @property
    def is_approver(self):
        return self.role == self.Role.APPROVER

    def can_edit_measure(self, measure: Measure) -> bool:
        """Coordinators edit every measure; division staff those of their own divisions."""
        if self.is_coordinator:
            return True
        if self.role != self.Role.DIVISION_STAFF:
            return False
        return measure.divisions.filter(memberships=self).exists()


class Change(models.Model):
    """One recorded change: who did what to a report or one of its measures, and when.

    ``changes`` lists what differs as displayed text: [{"field", "before", "after"}, …].
    """

    class Action(models.TextChoices):
        CREATED = "created", _("created the measure")
        EDITED = "edited", _("edited the measure")
        DELETED = "deleted", _("deleted the measure")
        MOVED = "moved", _("moved the measure")
        SCORES = "scores", _("changed the scores")
        SUBMITTED = "submitted", _("submitted the report for approval")
        RETURNED = "returned", _("returned the report to draft")
        APPROVED = "approved", _("approved the report")
        PUBLISHED = "published", _("published the report")
        WITHDRAWN = "withdrawn", _("withdrew the report from publication")
        OPENED = "opened", _("opened the fiscal year")
        DEADLINE = "deadline", _("set the hand-in deadline")
        HANDED_IN = "handed_in", _("handed in the division's part")
        HANDIN_REOPENED = "handin_reopened", _("reopened the division's part")
        ANALYSIS = "analysis", _("edited the analysis of last year's result")
        PLAN_APPROVED = "plan_approved", _("approved the measures plan")
        PLAN_PUBLISHED = "plan_published", _("published the measures plan")
        PLAN_WITHDRAWN = "plan_withdrawn", _("withdrew the measures plan from publication")
        EVIDENCE = "evidence", _("changed the evidence of a result")

    report = models.ForeignKey(
        Report, models.CASCADE, verbose_name=_("report"), related_name="changes"
    )
    # Kept when the measure is deleted, so that the deletion itself stays on record.
    measure = models.ForeignKey(
        Measure,
        models.SET_NULL,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        related_name="changes",
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("measure version"), null=True, blank=True)
    user = acting_user(_("user"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("what changed"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self):
        # A change made by a command, or by a person whose account is gone, has no user; the
        # history pages call them "someone" too.
        who = self.user or gettext("someone")
        parts = [str(who), self.get_action_display(), self.subject]
        if self.at:
            at = timezone.localtime(self.at)
            when = thai.format_date(at, abbreviated=True) + thai.thai_digits(f" {at:%H:%M}")
            parts.insert(0, when)
        return " ".join(part for part in parts if part)

    def save(self, *args, **kwargs):
        # The subject names a measure by its title, which may be longer than the column.
        limit = self._meta.get_field("subject").max_length
        if len(self.subject) > limit:
            self.subject = self.subject[: limit - 1] + "…"
        super().save(*args, **kwargs)


class AcceptedWord(models.Model):
    """A word the agency spells its own way (a place or project name) that the review accepts."""

    agency = models.ForeignKey(
        Agency, models.CASCADE, verbose_name=_("agency"), related_name="accepted_words"
    )
    word = models.CharField(_("word"), max_length=100)
    added_by = acting_user(_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["agency", "word"]
        verbose_name = _("accepted word")
        verbose_name_plural = _("accepted words")
        constraints = [
            models.UniqueConstraint(fields=["agency", "word"], name="accepted_word_unique"),
            # A blank or spaced entry would hide every finding it overlaps.
            models.CheckConstraint(
                condition=~Q(word="") & ~Q(word__contains=" "),
                name="accepted_word_one_word",
                violation_error_message=_("An accepted word is one word, without spaces."),
            ),
        ]

    def __str__(self):
        return self.word


class ReviewAcknowledgement(models.Model):
    """Someone read a review warning and decided to publish anyway.

    It names the finding by its key, which changes when the quoted text changes, so an edit
    brings the warning back.
    """

    report = models.ForeignKey(
        Report, models.CASCADE, verbose_name=_("report"), related_name="acknowledgements"
    )
    finding_key = models.CharField(_("finding"), max_length=64)
    check_name = models.CharField(_("check"), max_length=40)
    message = models.TextField(_("message"))
    acknowledged_by = acting_user(_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"))

    class Meta:
        ordering = ["report", "acknowledged_at"]
        verbose_name = _("acknowledged warning")
        verbose_name_plural = _("acknowledged warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "finding_key"], name="acknowledgement_unique_finding"
            ),
        ]

    def __str__(self):
        return f"{self.report}: {self.message}"


class SignInEvent(models.Model):
    """A sign-in, a failed sign-in, a sign-out or a two-factor event: the accounts' audit log.

    The username is kept as typed, so that attempts on names with no account are on record too.
    """

    class Kind(models.TextChoices):
        LOGGED_IN = "logged_in", _("signed in")
        FAILED = "failed", _("sign-in failed")
        LOGGED_OUT = "logged_out", _("signed out")
        # Two-factor sign-in: the code typed after the password, and the user turning it on or off.
        CODE_ACCEPTED = "code_accepted", _("two-factor code accepted")
        CODE_REFUSED = "code_refused", _("two-factor code refused")
        TWO_FACTOR_ON = "two_factor_on", _("two-factor sign-in turned on")
        TWO_FACTOR_OFF = "two_factor_off", _("two-factor sign-in turned off")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    username = models.CharField(_("username"), max_length=150, blank=True)
    user = acting_user(_("user"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_kind_display()}"


class RenderLock(models.Model):
    """A render in progress: one process renders a document while the others wait for its copy.

    Named by what is rendered (the kept copy's name in the storage), in the database that every
    app server and worker shares; a lock older than limits.RENDER_LOCK_SECONDS belonged to a
    process that died, and the next one to ask takes it over.
    """

    name = models.CharField(_("rendered document"), max_length=255, unique=True)
    acquired_at = models.DateTimeField(_("rendering since"))

    class Meta:
        verbose_name = _("render in progress")
        verbose_name_plural = _("renders in progress")

    def __str__(self):
        return self.name


class HandIn(models.Model):
    """A division's word that its part of a year's report is done (ส่งงาน).

    The row exists while the part is handed in; reopening it deletes the row, and both steps
    stay in the report's changes.
    """

    report = models.ForeignKey(
        Report, models.CASCADE, verbose_name=_("report"), related_name="hand_ins"
    )
    division = models.ForeignKey(
        Division, models.CASCADE, verbose_name=_("division"), related_name="hand_ins"
    )
    at = models.DateTimeField(_("handed in at"))
    by = acting_user(_("handed in by"))

    class Meta:
        ordering = ["report", "division"]
        verbose_name = _("division hand-in")
        verbose_name_plural = _("division hand-ins")
        constraints = [
            models.UniqueConstraint(fields=["report", "division"], name="hand_in_unique_division"),
        ]

    def __str__(self):
        return f"{self.report} – {self.division}"


# The e-mail outbox and each person's choice of notifications live in their own package.
from measures.notifications.models import NotificationOptOut, OutboxMessage  # noqa: E402, F401
from measures.oit.models import Evidence, EvidenceFile, OitItem, OitList  # noqa: E402, F401
