"""Reading files into a report (spreadsheets, last year's report as text or Word), the
import services and carrying a report forward."""
