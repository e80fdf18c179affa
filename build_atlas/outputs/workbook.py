"""The data set as one Excel workbook (openpyxl): a 说明 sheet, then one sheet per table with its Chinese column titles
above the field names, frozen, filterable, and every text column typed as text, so that Excel keeps 2024-12 as written
instead of turning it into a date. The CSVs stay as they are for scripts."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import date

from ..vocabulary.dataset import TABLE_RESOURCES, TERMS, Field, Resource

TITLE_FILL = "DDE6F0"
MAX_WIDTH = 60
SAMPLE = 300  # rows read to size a column
PRINT_WIDTH = 250  # the widest sheet (in characters) printed one page wide
GUIDE_WIDTHS = (26, 88)  # the 说明 sheet's two columns
LINE_HEIGHT = 16  # points


def width(text: str) -> int:
    """How many character cells a text takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cell_value(field: Field, value: str):
    if not value or field.text:
        return value
    if field.type == "date":
        return date.fromisoformat(value)
    return int(value) if field.type == "integer" else float(value)


def sheet_name(resource: Resource) -> str:
    return f"{resource.title} {resource.name}"[:31]


def write_table(book, resource: Resource, rows: list[dict]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(sheet_name(resource))
    bold, code_font = Font(bold=True), Font(color="555555", size=9)
    fill = PatternFill("solid", fgColor=TITLE_FILL)
    for column, field in enumerate(resource.fields, 1):
        title = sheet.cell(1, column, field.title)
        title.font, title.fill, title.alignment = bold, fill, Alignment(vertical="top")
        sheet.cell(2, column, field.name).font = code_font
        for number, row in enumerate(rows, 3):
            cell = sheet.cell(number, column, cell_value(field, row[field.name]))
            if field.text:
                cell.data_type, cell.number_format = "s", "@"  # text, even "=…" or "2024-12"
            elif field.type == "date":
                cell.number_format = "yyyy-mm-dd"
        wide = max([width(field.title), width(field.name), *(width(r[field.name]) for r in rows[:SAMPLE])])
        sheet.column_dimensions[get_column_letter(column)].width = min(wide + 2, MAX_WIDTH)
    sheet.freeze_panes = "A3"
    last = get_column_letter(len(resource.fields))
    sheet.auto_filter.ref = f"A2:{last}{len(rows) + 2}"
    total = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, len(resource.fields) + 1))
    for_print(sheet, fit=total <= PRINT_WIDTH)
    sheet.print_title_rows = "1:2"


def for_print(sheet, fit: bool) -> None:
    """Landscape A4, as wide as one page when the columns allow it without shrinking the type past reading."""
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    if fit:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0


def guide_rows(package: dict, publication, counts: dict[str, int]) -> list[tuple[str, str]]:
    terms = [(f"使用条款：{t.title}", f"{t.attribution}。{t.notes}".replace("`", ""))  # a cell shows no code marks
             for key, t in TERMS.items() if key != "atlas"]
    return [
        ("数据", package["title"]), ("数据截至", publication.data_date.isoformat()), ("版本", package["version"]),
        ("发布者", publication.publisher or "暂未公布"),
        *((("网址", package["homepage"]),) if package.get("homepage") else ()),
        ("使用条款", f"本图集的数据采用 {publication.license} 许可（{publication.license_url}），"
                 f"复用时请注明出处。{TERMS['atlas'].notes}"),
        *terms,
        ("如何引用", citation(package, publication)),
        ("格式", "每张表一个工作表：第一行是中文列名，第二行是字段名（与 CSV 相同）；文本列按文本存储，"
               "如时限 2024-12 不会被"
               "当作日期。代码列旁边的 _zh 列是它的中文名称；全部代码见“代码表”。同样的数据另有 CSV、GeoJSON 和"
               " datapackage.json，见压缩包中的 README.md。"),
        ("", ""), ("工作表", "内容（行数）"),
        *((sheet_name(r), f"{r.description}（{counts[r.name]} 行）") for r in TABLE_RESOURCES),
    ]


def citation(package: dict, publication) -> str:
    who = publication.publisher or "呼包鄂乌一体化政策图集编制者"
    where = f" {package['homepage']}." if package.get("homepage") else ""
    when = publication.data_date.isoformat()
    return f"{who}. {publication.title}[DB/OL]. 数据截至 {when}，版本 {package['version']}.{where}"


def write_guide(book, package: dict, publication, counts: dict[str, int]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.active
    sheet.title = "说明"
    top = Alignment(wrap_text=True, vertical="top")
    for number, (key, value) in enumerate(guide_rows(package, publication, counts), 1):
        name = sheet.cell(number, 1, key)
        name.font, name.alignment = Font(bold=True), top
        cell = sheet.cell(number, 2, value)
        cell.data_type, cell.alignment = "s", top
        lines = max(-(-width(key) // GUIDE_WIDTHS[0]), -(-width(value) // GUIDE_WIDTHS[1]), 1)
        sheet.row_dimensions[number].height = LINE_HEIGHT * lines  # spreadsheets do not size wrapped rows on opening
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = GUIDE_WIDTHS
    for_print(sheet, fit=True)


def make(tables: dict[str, list[dict]], package: dict, publication, counts: dict[str, int]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    write_guide(book, package, publication, counts)
    for resource in TABLE_RESOURCES:
        write_table(book, resource, tables[resource.name])
    book.properties.title, book.properties.creator = package["title"], publication.publisher or publication.title
    book.properties.language = "zh-CN"
    out = io.BytesIO()
    book.save(out)
    return reproducible(out.getvalue(), publication.data_date)


STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible(xlsx: bytes, when: date) -> bytes:
    """The workbook with its save time replaced by the data date, inside and in the zip, so that the same data give
    the same bytes."""
    stamp = f"{when.isoformat()}T00:00:00Z".encode()
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = STAMP.sub(lambda m: m[1] + stamp + m[2], data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(when.year, when.month, when.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)
    return out.getvalue()
