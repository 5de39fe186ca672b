"""Word documents in the official format of GB/T 9704-2012 (党政机关公文格式): the page, its
margins and line pitch, page numbers, the fonts of title, body and headings (East Asian font
set on every run, with the Latin name Word falls back to), and tables that print."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

__all__ = ["BODY_FONT", "HEADING_FONT", "LINE_PITCH", "TITLE_FONT", "font", "page", "table_rules"]

TITLE_FONT, BODY_FONT, HEADING_FONT, PAGE_FONT = (
    ("方正小标宋简体", "SimSun"),
    ("仿宋_GB2312", "FangSong"),
    ("黑体", "SimHei"),
    ("宋体", "SimSun"),  # page numbers: 4号半角宋体
)


def font(run: Any, fonts: tuple[str, str], size: float, bold: bool = False) -> None:
    """Set ``run``'s East Asian and Latin font, size and weight. A new run gets a copy of one
    prepared ``w:rPr`` (python-docx's property setters look each child up again, a quarter of
    the time of a run of a hundred notices)."""
    from copy import deepcopy

    if run._element.rPr is None:
        run._element.insert(0, deepcopy(_properties(fonts, size, bold)))
        return
    from docx.oxml.ns import qn
    from docx.shared import Pt

    east, latin = fonts
    run.font.name = latin
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts_element = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts_element.set(qn("w:eastAsia"), east)
    fonts_element.set(qn("w:ascii"), latin)
    fonts_element.set(qn("w:hAnsi"), latin)


@functools.cache
def _properties(fonts: tuple[str, str], size: float, bold: bool) -> Any:
    """The ``w:rPr`` of a run in ``fonts`` at ``size`` points, as the setters above write it."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    east, latin = fonts
    weight = "<w:b/>" if bold else '<w:b w:val="0"/>'
    return parse_xml(
        f"<w:rPr {nsdecls('w')}>"
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}"/>'
        f'{weight}<w:sz w:val="{round(size * 2)}"/></w:rPr>'
    )


# GB/T 9704-2012: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, 22 lines of 28 characters.
PAGE_MM, MARGINS_MM = (210, 297), {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINE_PITCH = 225 / 22 * 72 / 25.4  # points: 22 lines in the 225 mm of the 版心


def page(document: Any) -> None:
    """A4 and the standard's margins; page numbers ``— 1 —`` in 4号 宋体, on the outside edge
    (odd pages right, even pages left, one character in)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    for side, size in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(size))
    section.footer_distance = Mm(28)
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        indent = Pt(14)  # one character of 4号
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = indent
        else:
            paragraph.paragraph_format.left_indent = indent
        font(paragraph.add_run("— "), PAGE_FONT, 14)
        page_field(paragraph.add_run())
        font(paragraph.runs[-1], PAGE_FONT, 14)
        font(paragraph.add_run(" —"), PAGE_FONT, 14)


def page_field(run: Any) -> None:
    """A PAGE field in ``run``: Word and LibreOffice put the page's number there."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def table_rules(table: Any, headers: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> None:
    """The header row repeats on every page, no row splits over two, and each column is as wide
    as what it holds (序号 narrow, 具体任务 wide, a unit's name on one line) within the 156 mm
    of the 版心."""
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    # Each column's share: its longest text in characters (a long text wraps: at most 24 a line).
    needs = [
        max([len(header), *(len(row[i]) for row in rows if i < len(row))]) for i, header in enumerate(headers)
    ]
    shares = [min(max(n + 1, 3), 25) for n in needs]  # a character of room for the cell padding
    widths = [156 * share // sum(shares) for share in shares]
    table.autofit = False
    for index, column in enumerate(table.columns):
        column.width = Mm(widths[index])
        for cell in column.cells:
            cell.width = Mm(widths[index])
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
