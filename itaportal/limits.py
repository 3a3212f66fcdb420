"""How much input the portal accepts and how much work it does for it: every limit, named once.

Models, forms, imports, the admin, the review and the renderer read their bounds from here, so that
a text the editor accepts is one the import, the review and the PDF can handle, and a limit is
changed in one place. The sizes are chosen from real reports, generously: the demo report's longest
item has 591 characters, its longest title 160.
"""

# Text fields, in characters.
TITLE_CHARS = 1_000
ITEM_CHARS = 5_000  # one numbered method, result or outcome
INTRODUCTION_CHARS = 3_000
WITHDRAWAL_REASON_CHARS = 1_000
SIGN_OFF_LINES = 6  # signature lines under a printed report, one role each
SIGN_OFF_ROLE_CHARS = 100

# Counts.
ITEMS_PER_LIST = 50  # methods, results or outcomes of one measure
MEASURES_PER_REPORT = 500

# A posted form (not an upload): a measure's three lists at their longest, each Thai character
# sent as nine bytes (%E0%B8%81), and room for the rest.
FORM_BYTES = 3 * ITEMS_PER_LIST * ITEM_CHARS * 9 + 1024 * 1024

# Imports. A spreadsheet row is a measure; a list cell holds up to ITEMS_PER_LIST items, each on
# its own line and numbered.
IMPORT_ROWS = MEASURES_PER_REPORT
IMPORT_SHEET_ROWS = 40 * IMPORT_ROWS  # blank rows included: a sheet may be formatted far down
IMPORT_COLUMNS = 30
IMPORT_CELL_CHARS = ITEMS_PER_LIST * (ITEM_CHARS + len("๕๐. \n"))
# A results file of the assessment has a row per agency: the national one has 8,317 (ITA 2568).
RESULTS_IMPORT_ROWS = 20_000
# A cover or heading line of a legacy report longer than this is not a cover line: the check of
# the agency's name skips it (its cost grows with the line's length times the name's).
COVER_LINE_CHARS = 300

# The review. A "word" longer than REVIEW_WORD_CHARS gets no suggestion (40 of the dictionary's
# 62,106 words are longer); past REVIEW_SECONDS the checks stop and say what they did not read;
# each check lists at most REVIEW_FINDINGS_PER_CHECK findings.
REVIEW_WORD_CHARS = 40
REVIEW_SECONDS = 3.0
REVIEW_FINDINGS_PER_CHECK = 500

# The PDF. Beyond either bound a report's PDF is rendered by the background worker: about 0.04 s
# a measure (bench/RESULTS.md) and, for text, about the seed report's 3,000 characters a measure.
INLINE_PDF_MEASURES = 150
INLINE_PDF_CHARS = 150 * 3_000
# How long a request waits for another process's render of the same PDF before it shows the
# progress page instead; after RENDER_LOCK_SECONDS a lock whose holder died is taken over.
RENDER_WAIT_SECONDS = 8.0
RENDER_LOCK_SECONDS = 15 * 60

# Evidence files (photos, PDF, XLSX, DOCX) that agencies upload for OIT items and results. An XLSX
# or DOCX is a ZIP: one that would unpack past EVIDENCE_UNPACKED_BYTES, or shrinks more than
# EVIDENCE_ZIP_RATIO times, is a ZIP bomb and refused before anything is unpacked. A file name
# longer than EVIDENCE_NAME_CHARS is shortened (its extension kept).
EVIDENCE_BYTES = 50 * 1024 * 1024
EVIDENCE_UNPACKED_BYTES = 200 * 1024 * 1024
EVIDENCE_ZIP_RATIO = 100
EVIDENCE_NAME_CHARS = 120
EVIDENCE_PER_ITEM = 20
