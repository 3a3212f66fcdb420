"""The checks an evidence file passes before it is stored: its type read from its content, its
size, its name and, for a ZIP-based Office file, what it would unpack to."""

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from itaportal import limits
from measures import thai


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileType("application/pdf", ("pdf",), "PDF")
JPEG = FileType("image/jpeg", ("jpg", "jpeg"), "JPEG")
PNG = FileType("image/png", ("png",), "PNG")
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), "XLSX"
)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), "DOCX"
)
ACCEPTED = (PDF, JPEG, PNG, XLSX, DOCX)
# The member an Office file of each kind cannot lack.
OFFICE_PARTS = {"xl/workbook.xml": XLSX, "word/document.xml": DOCX}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check: what the storage keeps and the visitor is sent."""

    file: UploadedFile
    name: str
    file_type: FileType
    size: int
    sha256: str


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The upload as it will be kept, or ValidationError saying in Thai why it is refused."""
    name = safe_name(getattr(upload, "name_as_sent", upload.name) or "")
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limits.EVIDENCE_BYTES:
        raise ValidationError(
            _("The file has %(size)s MB; at most %(limit)s MB are accepted."),
            code="too_big",
            params={
                "size": thai.thai_digits(f"{upload.size / 1024 / 1024:,.1f}"),
                "limit": thai.thai_digits(limits.EVIDENCE_BYTES // 1024 // 1024),
            },
        )
    upload.seek(0)
    file_type = sniff(upload)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in file_type.extensions:
        raise ValidationError(
            _("The file's name ends in “.%(extension)s” but its content is %(type)s."),
            code="extension",
            params={"extension": extension, "type": file_type.label},
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(upload, name, file_type, upload.size, digest.hexdigest())


def _accepted_message() -> str:
    return _("Only PDF, JPEG, PNG, XLSX and DOCX files are accepted; this file's content is none.")


def sniff(upload: UploadedFile) -> FileType:
    """The type the content says, whatever the name says: an executable renamed .pdf, an SVG
    or an HTML page (which may carry script) is none of the accepted types."""
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        return _office_type(upload)
    raise ValidationError(_accepted_message(), code="type")


def _office_type(upload: UploadedFile) -> FileType:
    """XLSX or DOCX, read from the ZIP's directory alone: nothing is unpacked."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(_accepted_message(), code="type") from error
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > limits.EVIDENCE_UNPACKED_BYTES or unpacked / packed > limits.EVIDENCE_ZIP_RATIO:
        raise ValidationError(
            _("The file would unpack to %(size)s MB (a ZIP bomb?); it is refused unopened."),
            code="zip_bomb",
            params={"size": thai.thai_digits(f"{unpacked // 1024 // 1024:,}")},
        )
    names = {member.filename for member in members}
    if "[Content_Types].xml" in names:
        for part, file_type in OFFICE_PARTS.items():
            if part in names:
                return file_type
    raise ValidationError(_accepted_message(), code="type")


def safe_name(name: str) -> str:
    """The name the visitor's download gets: refused when it names a folder or carries control
    characters (it was made to trick something), shortened past EVIDENCE_NAME_CHARS without
    splitting a Thai letter from its vowel or tone mark."""
    name = unicodedata.normalize("NFC", name).strip()
    if (
        not name
        or "/" in name
        or "\\" in name
        or name.startswith(".")
        or any(unicodedata.category(char) in {"Cc", "Cf"} for char in name)
    ):
        raise ValidationError(
            _("The file name may not name a folder (/ or ..) or contain control characters."),
            code="name",
        )
    if len(name) <= limits.EVIDENCE_NAME_CHARS:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        stem, extension = name, ""
    cut = limits.EVIDENCE_NAME_CHARS - len(extension) - 1
    # A vowel above or below, or a tone mark, belongs to the letter before it; a leading vowel
    # (เ แ โ ใ ไ) to the letter after it.
    while cut > 0 and unicodedata.category(stem[cut]) in {"Mn", "Mc"}:
        cut -= 1
    while cut > 0 and stem[cut - 1] in "เแโใไ":
        cut -= 1
    short = stem[:cut].rstrip(" .")
    return f"{short}.{extension}" if extension else short
