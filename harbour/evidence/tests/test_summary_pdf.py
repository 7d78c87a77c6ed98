"""The evidential summary as PDF (WeasyPrint, part of the test set-up): a real PDF of the summary,
recorded as an export in each item's chain of custody."""

import re
import zlib

import pytest

from harbour.audit.models import AuditAction, AuditEvent
from harbour.evidence.models import CustodyEvent, IndicatorFlag

pytestmark = pytest.mark.django_db


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects, with its compressed streams (object streams included) inflated."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue  # an image or font that is not deflated
    return b"\n".join(parts)


def test_the_summary_pdf_is_rendered_and_logged_as_an_export(client, case):
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        pytest.fail(
            f"WeasyPrint must be installed with the test extra, with Pango (apt-get install libpango-1.0-0): {error}"
        )
    inv, item = case["inv"], case["item"]
    client.force_login(case["officer"])
    response = client.get(f"/evidence/{inv.pk}/summary.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="evidential-summary-{inv.pk}.pdf"'
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    objects = pdf_objects(response.content)
    assert b"/Title (Evidential summary OP-K)" in objects
    pages = re.findall(rb"/Count (\d+)", objects)  # the page tree's count
    assert pages and int(pages[0]) >= 1

    (export,) = CustodyEvent.objects.filter(item=item, action="export")
    assert export.actor == case["officer"] and export.details["export"] == "evidential summary"
    flagged = IndicatorFlag.objects.filter(item=item).values("message").distinct().count()
    assert flagged == 7 and export.details["flagged_messages"] == flagged
    assert AuditEvent.objects.get(details__custody_event=export.pk).action == AuditAction.EXPORT
