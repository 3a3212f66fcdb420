"""Services: copying a year's OIT list, adding, replacing and deleting evidence."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal import limits
from measures import items, thai
from measures.models import Agency, Change, Measure, Publication
from measures.oit.models import EVIDENCE_DIR, Evidence, EvidenceFile, OitItem, OitList
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


def _record(evidence: Evidence, by, *, before: str = "", after: str = "") -> None:
    """Evidence of a result is part of the report: the change goes on the measure's history (an
    approver sees why the report came back), and the approval given without it goes."""
    measure = evidence.measure
    if measure is None:
        return
    Change.objects.create(
        report=measure.report,
        measure=measure,
        subject=str(measure),
        version=measure.version,
        user=by,
        action=Change.Action.EVIDENCE,
        changes=[{"field": "evidence", "before": before, "after": after}],
    )
    measure.report.reopen()


def _described(evidence: Evidence, name: str = "") -> str:
    """ "ผลการดำเนินการที่ ๒: ภาพกิจกรรม (ภาพ.jpg)" — what a person recognises the evidence by."""
    if evidence.result_number is None:  # an OIT item's: not part of a report
        return ""
    shown = " ".join(filter(None, [evidence.title, f"({name})" if name else evidence.url]))
    # The number as printed: a sub-item's result is "๒.๑".
    printed = items.labels(evidence.measure.results.values_list("level", flat=True))
    number = evidence.result_number
    label = printed[number - 1] if number <= len(printed) else thai.thai_digits(number)
    return _("Result %(number)s: %(evidence)s") % {"number": label, "evidence": shown}


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
    _record(evidence, by, after=_described(evidence, upload.name if upload else ""))
    return evidence


@transaction.atomic
def evidence_replace_file(*, evidence: Evidence, upload: CheckedUpload, by) -> EvidenceFile:
    """A new version of a file evidence: its public URL now sends this one; the earlier versions
    stay for the agency."""
    before = evidence.current_file()
    version = _store(evidence, upload, by)
    _record(
        evidence,
        by,
        before=_described(evidence, before.name if before else ""),
        after=_described(evidence, version.name),
    )
    return version


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by) -> None:
    """The evidence and its versions go from the pages; a stored file stays as long as a
    publication may name it (its name is its content's digest, which another may share)."""
    current = evidence.current_file()
    _record(evidence, by, before=_described(evidence, current.name if current else ""))
    evidence.delete()


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


def evidence_files_sweep(*, dry_run: bool = False) -> list[str]:
    """Delete stored evidence files that no version of any evidence and no publication names (the
    evidence was deleted, or a replaced version's publications went); their storage names (with
    ``dry_run``, of those that would be deleted). A file younger than an hour stays: an upload
    stores its file before its row is committed."""
    try:
        folders = default_storage.listdir(EVIDENCE_DIR)[0]
    except FileNotFoundError:  # nothing was ever uploaded here
        return []
    stored = [
        f"{EVIDENCE_DIR}/{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"{EVIDENCE_DIR}/{folder}")[1]
    ]
    named = set(EvidenceFile.objects.values_list("file", flat=True))
    # Every publication, withdrawn ones too: a restore or a re-publication may bring one back.
    for document in Publication.objects.values_list("document", flat=True).iterator():
        named.update(
            entry["file"]["storage_name"]
            for measure in document.get("measures", ())
            for entry in measure.get("evidence", ())
            if "file" in entry
        )
    recent = timezone.now() - timedelta(hours=1)
    swept = []
    for name in stored:
        if name in named or default_storage.get_modified_time(name) > recent:
            continue
        if not dry_run:
            default_storage.delete(name)
        swept.append(name)
    return swept
