"""Services: copying a year's OIT list, adding, replacing and deleting evidence."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from itaportal import limits
from measures import thai
from measures.models import Agency, Measure
from measures.oit.models import Evidence, EvidenceFile, OitItem, OitList
from measures.oit.uploads import CheckedUpload


@transaction.atomic
def oit_list_copy(*, oit_list: OitList, year: int) -> OitList:
    """A new year's list as a copy of ``oit_list``, for the administrators to edit."""
    if OitList.objects.filter(year=year).exists():
        raise ValidationError(
            _("The OIT list of %(year)s exists already."),
            params={"year": thai.thai_digits(year)},
        )
    source = _("Copied from the list of %(year)s; not yet checked against the year's form.") % {
        "year": thai.thai_digits(oit_list.year)
    }
    new = OitList.objects.create(year=year, confidence=OitList.Confidence.LOW, source=source)
    OitItem.objects.bulk_create(
        OitItem(
            oit_list=new,
            order=item.order,
            code=item.code,
            title=item.title,
            group=item.group,
            satisfied_by=item.satisfied_by,
            fiscal_year_offset=item.fiscal_year_offset,
        )
        for item in oit_list.items.all()
    )
    return new


def _check_room(**target) -> None:
    if Evidence.objects.filter(**target).count() >= limits.EVIDENCE_PER_ITEM:
        raise ValidationError(
            _("At most %(count)s links and files are accepted for one item."),
            params={"count": thai.thai_digits(limits.EVIDENCE_PER_ITEM)},
        )


def _target(oit_item: OitItem | None, measure: Measure | None, result_number: int | None):
    if oit_item is not None:
        return {"oit_item": oit_item}
    return {"measure": measure, "result_number": result_number}


def _results_changed(measure: Measure | None) -> None:
    """Evidence of a result is part of the report: the approval given without it goes."""
    if measure is not None:
        measure.report.reopen()


@transaction.atomic
def evidence_add(
    *,
    agency: Agency,
    by,
    title: str = "",
    url: str = "",
    upload: CheckedUpload | None = None,
    oit_item: OitItem | None = None,
    measure: Measure | None = None,
    result_number: int | None = None,
) -> Evidence:
    """A link (``url``) or a file (``upload``) as evidence of an OIT item or of a result."""
    target = _target(oit_item, measure, result_number)
    _check_room(agency=agency, **target)
    kind = Evidence.Kind.FILE if upload is not None else Evidence.Kind.LINK
    evidence = Evidence.objects.create(
        agency=agency, kind=kind, title=title, url=url, added_by=by, **target
    )
    if upload is not None:
        _store(evidence, upload, by)
    _results_changed(measure)
    return evidence


@transaction.atomic
def evidence_replace_file(*, evidence: Evidence, upload: CheckedUpload, by) -> EvidenceFile:
    """A new version of a file evidence: its public URL now sends this one; the earlier versions
    stay for the agency."""
    version = _store(evidence, upload, by)
    _results_changed(evidence.measure)
    return version


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by) -> None:
    """The evidence and its versions go from the pages; a stored file stays as long as a
    publication may name it (its name is its content's digest, which another may share)."""
    measure = evidence.measure
    evidence.delete()
    _results_changed(measure)


def _store(evidence: Evidence, upload: CheckedUpload, by) -> EvidenceFile:
    version = EvidenceFile(
        evidence=evidence,
        name=upload.name,
        content_type=upload.file_type.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=by,
    )
    # Through the storage API: the name comes from evidence_upload_to, never from the visitor.
    version.file.save(f"x.{upload.file_type.extensions[0]}", upload.file, save=False)
    version.save()
    return version
