"""The scrutiny report as files: CSV, XLSX (openpyxl, ADR 0013) and PDF (WeasyPrint).

All three are made from the same suppressed report as the screen: aggregate figures only (no name,
no record id), every hidden number written as shown on screen ("fewer than 5", "[hidden]"), and the
suppression rule stated in the file itself. The caller audits the export (selectors.scrutiny_report).
"""

import csv
import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from .figures import Report
from .suppression import RULE_TEXT

HEADER = ["Section", "Table", "Row", "Column", "Value", "Hidden"]
AGGREGATE_NOTE = "Aggregate figures only. Synthetic demonstration data. OFFICIAL when holding real data."


def flat_rows(report: Report):
    """[section, table, row, column, value as shown, hidden?] for every cell, total and rate."""
    for section in report.sections:
        for table in section.tables:
            spec = table.spec
            header = dict(table.header_cols)
            for _, row_label, cells, row_total in table.lines():
                for col_key, cell, _ in cells:
                    col_label = spec.col_label if col_key == "count" else header[col_key]
                    yield [section.title, spec.title, row_label, col_label, cell.display, cell.suppressed]
                if row_total is not None:
                    total = row_total
                    yield [section.title, spec.title, row_label, spec.total_label, total.display, total.suppressed]
            totals = table.totals()
            if totals:
                cells, grand = totals
                for col_key, cell, _ in cells:
                    col_label = spec.col_label if col_key == "count" else header[col_key]
                    yield [section.title, spec.title, spec.total_label, col_label, cell.display, cell.suppressed]
                if grand is not None:
                    yield [section.title, spec.title, spec.total_label, "Total", grand.display, grand.suppressed]


def _title(report: Report) -> str:
    return f"Harbour scrutiny report, {report.period}"


def csv_bytes(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Harbour scrutiny report", str(report.period), AGGREGATE_NOTE])
    writer.writerow(["Suppression rule", RULE_TEXT])
    if report.sentence:
        writer.writerow(["Headline", report.sentence])
    writer.writerow(HEADER)
    writer.writerows(flat_rows(report))
    return out.getvalue().encode("utf-8")


def xlsx_bytes(report: Report, *, prepared_for: str) -> bytes:
    """A workbook: a "Read me" sheet (period, rule, who it was prepared for), then one sheet per section
    with each table as shown on screen. Shown numbers are numbers; hidden ones are the words shown."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    bold = Font(bold=True)
    lines = [
        (_title(report), bold),
        (AGGREGATE_NOTE, None),
        (f"Prepared for {prepared_for} on {timezone.localtime():%-d %B %Y, %H:%M} (London time).", None),
        ("", None),
        ("How small numbers are hidden", bold),
        (RULE_TEXT, None),
    ]
    if report.sentence:
        lines += [("", None), (report.sentence, None)]
    for i, (text, font) in enumerate(lines, start=1):
        cell = readme.cell(row=i, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font:
            cell.font = font
    readme.column_dimensions["A"].width = 110

    used = {"Read me"}
    for section in report.sections:
        name = section.title.replace(":", "")[:31]
        n = 2
        while name in used:
            name = f"{section.title[:28]} {n}"
            n += 1
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.column_dimensions["A"].width = 48
        r = 1
        sheet.cell(row=r, column=1, value=section.title).font = Font(bold=True, size=14)
        r += 1
        if section.note:
            sheet.cell(row=r, column=1, value=section.note).alignment = Alignment(wrap_text=True)
            r += 1
        for table in section.tables:
            r += 1
            sheet.cell(row=r, column=1, value=table.spec.title).font = bold
            r += 1
            sheet.cell(row=r, column=1, value=table.spec.about)
            r += 1
            heads = [table.spec.row_header or ""]
            heads += [table.spec.col_label if k == "count" else label for k, label in table.header_cols]
            if table.spec.row_totals:
                heads.append(table.spec.total_label)
            for j, head in enumerate(heads, start=1):
                sheet.cell(row=r, column=j, value=head).font = bold
            r += 1
            for _, row_label, cells, row_total in table.lines():
                values = [row_label, *(_value(c) for _, c, _ in cells)]
                if row_total is not None:
                    values.append(_value(row_total))
                for j, v in enumerate(values, start=1):
                    sheet.cell(row=r, column=j, value=v)
                r += 1
            totals = table.totals()
            if totals:
                cells, grand = totals
                values = [table.spec.total_label, *(_value(c) for _, c, _ in cells)]
                if grand is not None:
                    values.append(_value(grand))
                for j, v in enumerate(values, start=1):
                    sheet.cell(row=r, column=j, value=v).font = bold
                r += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(cell):
    public = cell.public
    return cell.display if public is None else public


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library it needs) is not installed."""


def pdf_bytes(report: Report, *, context: dict) -> bytes:
    """The printable report as PDF: the same template as the print page, with its CSS inlined and no
    base URL, so nothing is fetched while rendering."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from None
    static = Path(__file__).parent / "static" / "reports"
    css = (static / "report.css").read_text(encoding="utf-8") + (static / "document.css").read_text(encoding="utf-8")
    html = render_to_string("reports/document.html", {**context, "report": report, "css": css})
    return weasyprint.HTML(string=html).write_pdf()
