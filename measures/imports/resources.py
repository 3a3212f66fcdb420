"""A report's measures as spreadsheet rows, declared once for import and export.

One row per measure. The column names are part of the file format, like the headers of the
printed table (``report_text.HEADERS``), so they stay Thai whatever the interface language:
a file exported in one language imports in the other.

The same resource exports live measures (model instances) and published ones (the measure dicts
of a frozen ``report_document``), so the open data and the coordinator's export are one format.
"""

import contextlib
import io
import re
from collections import defaultdict

import openpyxl
import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader

from itaportal import limits
from measures import thai
from measures.editing import too_many_measures_message
from measures.imports.report_text import HEADERS, ReportTextError, cited_indicator, parse_divisions
from measures.imports.spreadsheet import (
    FORMATS,
    SpreadsheetError,
    XLSXFormat,
    readable,
    workbook_bytes,
)
from measures.items import (
    LISTS,
    SUB_ITEM,
    ListItem,
    levels_of,
    measure_levels,
    numbered_lines,
    read_numbered_lines,
)
from measures.models import (
    MAX_YEAR,
    MIN_YEAR,
    Indicator,
    MaxCharsValidator,
    Measure,
    Method,
    Outcome,
    Result,
)

_ITEM_NUMBER = re.compile(r"([๐-๙0-9]{1,3})\.\s*")
NUMBER = "ลำดับ"
START = "เดือนที่เริ่ม"
END = "เดือนที่สิ้นสุด"
INDICATORS = "ตัวชี้วัดเป้าหมาย"
SMALLINT_MAX = 32767


def cell_text(value) -> str:
    return "" if value is None else str(value).strip()


class NumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if not cell_text(value):
            raise ValueError(_("the measure number is missing."))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            number = value if isinstance(value, int) else thai.parse_number(str(value))
        except ValueError:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
        if not 1 <= number <= SMALLINT_MAX:
            raise ValueError(
                _("the measure number must be between 1 and %(max)s.")
                % {"max": thai.thai_digits(f"{SMALLINT_MAX:,}")}
            )
        return number

    def render(self, value, obj=None, **kwargs):
        return value


def _within(limit: int, text: str) -> str:
    """``text`` if it has at most ``limit`` characters; ValueError with the model's message if
    not, so that an import refuses what the editor refuses."""
    try:
        MaxCharsValidator(limit)(text)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return text


class TextWidget(widgets.Widget):
    """A title: one paragraph, cleaned as the editor cleans it."""

    def clean(self, value, row=None, **kwargs):
        text = thai.plain_text(cell_text(value))
        if not text:
            raise ValueError(_("this cell is empty."))
        return _within(limits.TITLE_CHARS, text)

    def render(self, value, obj=None, **kwargs):
        return value


class MonthYearWidget(widgets.Widget):
    """ "ต.ค. 2567" ⇄ (10, 2567); an empty cell is an unknown period."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            month, year = thai.parse_month_year(text)
        except ValueError:
            raise ValueError(
                _("cannot read the month “%(text)s” (write it like “ต.ค. 2567”).") % {"text": text}
            ) from None
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(
                _("%(year)s is not a Buddhist Era year (write it like “ต.ค. 2567”).")
                % {"year": year}
            )
        return month, year

    def render(self, value, obj=None, **kwargs):
        return thai.format_month_year(*value) if value else ""


class LinesWidget(widgets.Widget):
    """A numbered list as a multi-line cell: one item a line, numbers implied by the order.

    Lines typed with their numbers ("๑. …", "๒. …") lose them. An export writes the numbers
    only where the plain lines would read back otherwise (a lone item "1. …", an item starting
    "1.5 ล้าน"): "๑. 1. …" reads back as "1. …", so that export and import round-trip exactly.
    """

    def clean(self, value, row=None, **kwargs):
        items = self.items(value)
        if len(items) > limits.ITEMS_PER_LIST:
            raise ValueError(
                _("a list holds at most %(limit)s items; this cell has %(count)s lines.")
                % {
                    "limit": thai.thai_digits(limits.ITEMS_PER_LIST),
                    "count": thai.thai_digits(len(items)),
                }
            )
        return [_within(limits.ITEM_CHARS, item) for item in items]

    @staticmethod
    def items(value) -> list[str]:
        text = "" if value is None else str(value)
        lines = [line for line in map(thai.plain_text, text.splitlines()) if line]
        numbered = [_ITEM_NUMBER.match(line) for line in lines]
        if lines and all(
            match and thai.parse_number(match[1]) == order
            for order, match in enumerate(numbered, 1)
        ):
            return [line[match.end() :] for line, match in zip(lines, numbered, strict=True)]
        return lines

    def render(self, value, obj=None, **kwargs):
        items = [str(item) for item in value]
        plain = "\n".join(items)
        if self.items(plain) == items:
            return plain
        return "\n".join(f"{thai.thai_digits(n)}. {item}" for n, item in enumerate(items, 1))


class ItemsWidget(LinesWidget):
    """A measure's list (methods, results, outcomes) with its sub-items: "๑.๑ …" lines under
    "๑. …" are sub-items (measures/items.py). A list without sub-items is read and written as
    ``LinesWidget`` does; one with them is written numbered, as printed."""

    def clean(self, value, row=None, **kwargs):
        texts = super().clean(value, row, **kwargs)
        numbered = read_numbered_lines(self.lines(value))
        if numbered is None or SUB_ITEM not in [item.level for item in numbered]:
            return [ListItem(text) for text in texts]
        return [ListItem(_within(limits.ITEM_CHARS, text), level) for text, level in numbered]

    @staticmethod
    def lines(value) -> list[str]:
        text = "" if value is None else str(value)
        return [line for line in map(thai.plain_text, text.splitlines()) if line]

    def render(self, value, obj=None, **kwargs):
        value = [item if isinstance(item, ListItem) else ListItem(str(item)) for item in value]
        levels = [item.level for item in value]
        if SUB_ITEM not in levels:
            return super().render([item.text for item in value], obj, **kwargs)
        return numbered_lines([item.text for item in value], levels)


class DivisionsWidget(LinesWidget):
    """Division names, one a line (or separated by spaces, as the printed report has them)."""

    def __init__(self, known: list[str] = ()):
        super().__init__()
        self.known = list(known)

    def clean(self, value, row=None, **kwargs):
        try:
            names = parse_divisions(0, " ".join(super().clean(value)), self.known)
        except ReportTextError as error:
            raise ValueError(error.message) from None
        # In the agency's order, as the database gives them back, so that unchanged is equal.
        return sorted(names, key=self.known.index)


class IndicatorsWidget(LinesWidget):
    def clean(self, value, row=None, **kwargs):
        numbers = []
        for item in " ".join(super().clean(value)).replace(",", " ").split():
            try:
                number = thai.parse_number(item)
            except ValueError:
                number = 0
            if not 1 <= number <= 10:
                raise ValueError(
                    _("“%(value)s” is not an ITA indicator number (1 to 10).") % {"value": item}
                )
            numbers.append(number)
        return sorted(set(numbers))


class ListField(Field):
    """A list kept in related rows (divisions, indicators, methods, results, outcomes).

    Import holds the cleaned list on the instance (``imported_lists``) until the measure is saved
    and has a key; the rows are written by ``MeasureResource.after_import``. The loader keeps the
    stored lists as ``stored_lists``.
    """

    def get_value(self, instance):
        if isinstance(instance, dict):  # a measure of a published document
            entries = instance[self.attribute]
            texts = [entry["text"] if isinstance(entry, dict) else entry for entry in entries]
            if self.attribute not in LISTS:
                return texts
            levels = levels_of(measure_levels(instance, self.attribute))
            return [ListItem(text, level) for text, level in zip(texts, levels, strict=True)]
        for held in ("imported_lists", "stored_lists"):
            lists = getattr(instance, held, {})
            if self.attribute in lists:
                return lists[self.attribute]
        if instance.pk is None:
            return []
        related = getattr(instance, self.attribute).all()
        if self.attribute == "divisions":
            return [division.name for division in related]
        if self.attribute == "indicators":
            return [indicator.number for indicator in related]
        return [ListItem(item.text, item.level) for item in related]

    def save(self, instance, row, is_m2m=False, **kwargs):
        if not hasattr(instance, "imported_lists"):
            instance.imported_lists = {}
        instance.imported_lists[self.attribute] = self.clean(row, **kwargs)


class PeriodField(Field):
    """One end of the period ("start" or "end"): a month and a year in one cell."""

    def get_value(self, instance):
        if isinstance(instance, dict):
            period = instance["period"]
            if period is None:
                return None
            return period[f"{self.attribute}_month"], period[f"{self.attribute}_year"]
        month = getattr(instance, f"{self.attribute}_month")
        return None if month is None else (month, getattr(instance, f"{self.attribute}_year"))

    def save(self, instance, row, is_m2m=False, **kwargs):
        month, year = self.clean(row, **kwargs) or (None, None)
        setattr(instance, f"{self.attribute}_month", month)
        setattr(instance, f"{self.attribute}_year", year)


class ReportMeasureLoader(BaseInstanceLoader):
    """The report's measures by number, loaded once with their lists (not one query a row)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.by_number = {m.number: m for m in resource.get_queryset().with_lists()}
        lists = [name for name, field in resource.fields.items() if isinstance(field, ListField)]
        for measure in self.by_number.values():
            # Kept as plain data: the copy the import compares with loses the prefetch cache.
            measure.stored_lists = {
                name: resource.fields[name].get_value(measure) for name in lists
            }

    def get_instance(self, row):
        return self.by_number.get(self.resource.fields["number"].clean(row))


class MeasureResource(resources.ModelResource):
    number = Field("number", NUMBER, NumberWidget())
    title = Field("title", HEADERS[0], TextWidget())
    methods = ListField("methods", HEADERS[1], ItemsWidget())
    start = PeriodField("start", START, MonthYearWidget())
    end = PeriodField("end", END, MonthYearWidget())
    divisions = ListField("divisions", HEADERS[3], DivisionsWidget())
    results = ListField("results", HEADERS[4], ItemsWidget())
    outcomes = ListField("outcomes", HEADERS[5], ItemsWidget())
    indicators = ListField("indicators", INDICATORS, IndicatorsWidget())

    class Meta:
        model = Measure
        name = gettext_lazy("Measures of one report")
        fields = (
            "number", "title", "methods", "start", "end",
            "divisions", "results", "outcomes", "indicators",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ["number"]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        instance_loader_class = ReportMeasureLoader
        # The preview lists what changed field by field (skip_row).
        store_instance = True

    def __init__(self, report=None, **kwargs):
        super().__init__(**kwargs)
        self.report = report
        if report is not None:
            self.fields["divisions"].widget = DivisionsWidget(
                report.agency.divisions.values_list("name", flat=True)
            )

    # Importing: rows update the report's measures by number and add new ones.

    def get_queryset(self):
        return Measure.objects.filter(report=self.report)

    def init_instance(self, row=None):
        return Measure(report=self.report)

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as error:
            raise ValidationError({"number": str(error)}) from None

    def check_headers(self, dataset):
        """Refuse a file whose header row lacks a column, before any row is read."""
        required = [f.column_name for name, f in self.fields.items() if name != "indicators"]
        missing = [column for column in required if column not in (dataset.headers or [])]
        if missing:
            raise SpreadsheetError(
                _("The header row (row ๑) lacks the column(s): %(columns)s.")
                % {"columns": ", ".join(f"“{column}”" for column in missing)}
            )
        if not len(dataset):
            raise SpreadsheetError(_("The file has no measures below its header row."))

    def before_import(self, dataset, **kwargs):
        self.check_headers(dataset)
        self.check_count(dataset)
        self.rows_by_number: dict[int, int] = {}
        self.pending: dict[type, list] = defaultdict(list)
        self.division_by_name = {d.name: d for d in self.report.agency.divisions.all()}
        self.indicator_by_number = {i.number: i for i in Indicator.objects.all()}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        sheet_row = kwargs["row_number"] + 1
        if "number" not in errors:
            first = self.rows_by_number.setdefault(instance.number, sheet_row)
            if first != sheet_row:
                errors["number"] = [
                    _("measure number %(number)s is also in row %(row)s.")
                    % {"number": thai.thai_digits(instance.number), "row": thai.thai_digits(first)}
                ]
        if "start" not in errors and "end" not in errors:
            self.check_period(instance, errors)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def check_period(instance, errors):
        if (instance.start_month is None) != (instance.end_month is None):
            errors["end" if instance.end_month is None else "start"] = [
                _("give both the start and the end month, or neither.")
            ]
        elif instance.start_month is not None and thai.month_index(
            instance.end_month, instance.end_year
        ) < thai.month_index(instance.start_month, instance.start_year):
            errors["end"] = [_("the end month is before the start month.")]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped; a changed one keeps what changed, as the file writes it:
        ``instance.field_changes`` lists (column, before, after)."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        instance.field_changes = [
            (field.column_name, before, after)
            for field in self.get_import_fields()
            if field.column_name in row
            and (before := field.export(original)) != (after := field.export(instance))
        ]
        return not instance.field_changes

    def check_count(self, dataset):
        """Refuse a file that would give the report more measures than it may hold."""
        numbers = set()
        for row in dataset.dict:
            with contextlib.suppress(ValueError):
                numbers.add(self.fields["number"].clean(row))
        stored = set(self.get_queryset().values_list("number", flat=True))
        if len(stored | numbers) > limits.MEASURES_PER_REPORT:
            raise SpreadsheetError(too_many_measures_message())

    def before_save_instance(self, instance, row, **kwargs):
        instance.was_new = instance.pk is None

    def after_save_instance(self, instance, row, **kwargs):
        """Queue the measure's lists; ``after_import`` writes all rows' lists in a few queries."""
        if not instance.was_new:
            instance.divisions.clear()
            instance.indicators.clear()
            for model in (Method, Result, Outcome):
                model.objects.filter(measure=instance).delete()
        lists = instance.imported_lists
        outcomes = lists["outcomes"]
        cited = [cited_indicator(item.text) for item in outcomes]
        # Without the column, the target indicators are those the outcomes cite, as in the
        # text import.
        targets = lists.get("indicators", sorted({n for n in cited if n is not None}))
        queue = self.pending
        queue[Measure.divisions.through] += [
            Measure.divisions.through(measure=instance, division=self.division_by_name[name])
            for name in lists["divisions"]
        ]
        queue[Measure.indicators.through] += [
            Measure.indicators.through(measure=instance, indicator=self.indicator_by_number[n])
            for n in targets
        ]
        for model, listed in ((Method, lists["methods"]), (Result, lists["results"])):
            levels = levels_of(item.level for item in listed)
            queue[model] += [
                model(measure=instance, order=order, text=item.text, level=level)
                for order, (item, level) in enumerate(zip(listed, levels, strict=True), 1)
            ]
        levels = levels_of(item.level for item in outcomes)
        queue[Outcome] += [
            Outcome(
                measure=instance,
                order=order,
                text=item.text,
                indicator=self.indicator_by_number.get(n),
                level=level,
            )
            for order, (item, n, level) in enumerate(zip(outcomes, cited, levels, strict=True), 1)
        ]

    def after_import(self, dataset, result, **kwargs):
        # Not the parent's sequence reset: measures are never imported with their ids.
        if result.has_errors() or result.has_validation_errors():
            return
        for model, objects in self.pending.items():
            model.objects.bulk_create(objects, batch_size=500)

    def column_of(self, key: str) -> str | None:
        """The column a validation error key (a field name) stands for."""
        if key == NON_FIELD_ERRORS or key not in self.fields:
            return None
        return self.fields[key].column_name


class PreviewedMeasureResource(MeasureResource):
    """The staff pages' import: their preview shows ``field_changes``, not the admin's HTML
    diff, whose cost grows faster than the text (a second a cell, by its time-out)."""

    class Meta(MeasureResource.Meta):
        skip_html_diff = True


def measures_file(measures, format: str) -> bytes:
    """The measures (model instances or published measure dicts) as an XLSX or CSV file."""
    dataset = MeasureResource().export(queryset=measures)
    dataset.title = "มาตรการ"
    data = FORMATS[format]().export_data(dataset)
    return data.encode("utf-8") if isinstance(data, str) else data


# The blank template's explanation sheet. Like the column names, it is part of the file and Thai
# whatever the interface language: (column, what goes in it).
COLUMN_NOTES = [
    (NUMBER, "ลำดับของมาตรการ ๑, ๒, ๓ … (เลขไทยหรือเลขอารบิก) แถวที่มีลำดับตรงกับมาตรการที่มีอยู่แล้ว"
     "ในรายงานจะแก้ไขมาตรการนั้น ลำดับใหม่จะเพิ่มมาตรการ"),
    (HEADERS[0], "ชื่อมาตรการ โครงการ หรือกิจกรรม หนึ่งย่อหน้า ไม่ต้องใส่เลขลำดับ"),
    (HEADERS[1], "ขั้นตอนการดำเนินการ บรรทัดละหนึ่งข้อ (ขึ้นบรรทัดใหม่ในเซลล์ด้วย Alt+Enter) "
     "ระบบใส่เลข ๑. ๒. ให้เอง หากมีข้อย่อย ให้พิมพ์เลขทุกบรรทัด เช่น “1. …”, “1.1 …”, “2. …” "
     "(ใช้ได้กับผลการดำเนินการและผลลัพธ์ด้วย)"),
    (START, "เดือนและปี พ.ศ. ที่เริ่ม เขียนได้ทั้ง “ต.ค. 2567”, “ต.ค. ๒๕๖๗” หรือ “ตุลาคม 2567” "
     "เว้นว่างทั้งเดือนที่เริ่มและเดือนที่สิ้นสุดหากยังไม่ทราบ"),
    (END, "เดือนและปี พ.ศ. ที่สิ้นสุด เขียนแบบเดียวกับเดือนที่เริ่ม เช่น “ก.ย. 2568”"),
    (HEADERS[3], "ชื่อส่วนราชการที่รับผิดชอบ ตามที่ตั้งไว้ในหน้าส่วนราชการ บรรทัดละหนึ่งชื่อ "
     "หรือคั่นด้วยการเว้นวรรค"),
    (HEADERS[4], "ผลการดำเนินการ บรรทัดละหนึ่งข้อ เว้นว่างได้หากยังไม่มีผล"),
    (HEADERS[5], "ผลลัพธ์หรือความสำเร็จ บรรทัดละหนึ่งข้อ เว้นว่างได้หากยังไม่มีผล"),
    (INDICATORS, "เลขตัวชี้วัด ITA ที่มาตรการมุ่งพัฒนา ๑ ถึง ๑๐ คั่นด้วยจุลภาคหรือเว้นวรรค "
     "เว้นว่างได้"),
]  # fmt: skip


def template_file(report) -> bytes:
    """A blank XLSX to fill in and import into ``report``: the columns with one example row
    that imports as it is, and a second sheet explaining each column."""
    year = report.fiscal_year
    divisions = list(report.agency.divisions.values_list("name", flat=True)[:1])
    example = {
        NUMBER: 1,
        HEADERS[0]: "การเผยแพร่ข้อมูลข่าวสารของหน่วยงานผ่านเว็บไซต์",
        HEADERS[1]: "จัดทำข้อมูลที่ต้องเผยแพร่\nเผยแพร่ทางเว็บไซต์ของหน่วยงาน",
        START: f"ต.ค. {year - 1}",
        END: f"ก.ย. {year}",
        HEADERS[3]: "\n".join(divisions),
        HEADERS[4]: "เผยแพร่ข้อมูลทางเว็บไซต์ ๑๒ ครั้ง",
        HEADERS[5]: "ประชาชนเข้าถึงข้อมูลของหน่วยงานได้สะดวกขึ้น",
        INDICATORS: "9",
    }
    dataset = tablib.Dataset(list(example.values()), headers=list(example))
    dataset.title = "มาตรการ"
    book = openpyxl.load_workbook(io.BytesIO(XLSXFormat().export_data(dataset)))
    notes = book.create_sheet("คำอธิบายคอลัมน์")
    notes.append(["คอลัมน์", "กรอกอย่างไร", "ตัวอย่าง"])
    for column, note in COLUMN_NOTES:
        notes.append([column, note, str(example[column])])
    readable(notes)
    return workbook_bytes(book)
