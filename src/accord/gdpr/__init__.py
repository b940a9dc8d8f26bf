"""A customer's rights over their data: export everything stored about them (GDPR Art. 15 and
20) and erase it (Art. 17), leaving a tombstone without personal data. See docs/privacy.md.

Rows belong to a customer by foreign key only (`scope`), never by searching text: another
customer's conversation that mentions this one's name is not theirs.
"""

from accord.gdpr.erasure import erase_customer
from accord.gdpr.export import ExportSummary, export_customer, record_export
from accord.gdpr.service import (
    Download,
    erase,
    export_download,
    export_to_file,
    export_to_path,
    export_to_temporary_file,
)

__all__ = [
    "Download",
    "ExportSummary",
    "erase",
    "erase_customer",
    "export_customer",
    "export_download",
    "export_to_file",
    "export_to_path",
    "export_to_temporary_file",
    "record_export",
]
