"""Authoring .docx templates from Python specs with python-docx, laid out as GB/T 9704 asks.

A type's template spec is a function `spec(b: TemplateBuilder)` that calls the builder's methods
with text holding docxtpl/Jinja tags (`{{ project.name }}`, loops with `b.each(…)`, conditions with
`b.when(…)`), and the parts several types print (masthead, particulars table, numbered items, closing and
signature, signing table, meeting, coverage and report tables …). `build_template(spec)` returns the
.docx bytes; `scripts/build_templates.py` writes them to templates/. Builds are deterministic (fixed
timestamps and metadata), so a test can compare the committed templates with a fresh build.

Page (GB/T 9704—2012): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area
156 × 225 mm); title 二号 (22 pt) 方正小标宋简体 centred; body 三号 (16 pt) 仿宋, first line
indented two characters, fixed line pitch 28.95 pt (22 lines a page); level-1 headings 黑体,
level-2 楷体; 发文字号 at the right; signature and date at the right, four characters in, with
room above for the seal; page numbers 四号宋体 “— N —”, odd pages right, even pages left.
Every run names its East Asian font (w:rFonts/@w:eastAsia) and the defaults say zh-CN, so Word
and LibreOffice pick Chinese (not Japanese) glyphs.
"""
from __future__ import annotations

import io
import re
import zipfile
from contextlib import contextmanager
from typing import Callable, Iterator, Optional

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

# Font names: the fontconfig aliases shipped with the PDF conversion map 宋体/仿宋/楷体/
# 方正小标宋简体 to Noto Serif CJK SC and 黑体 to Noto Sans CJK SC.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FONTS = (TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_NUMBER_FONT)

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 12  # 小四
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
TYPE_AREA_MM = 156

# Paragraph styles: name -> (font, size pt, alignment, first-line indent chars, right indent chars, line pitch)
STYLES = {
    "IDI Body": (BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 0, LINE_PITCH),
    "IDI Plain": (BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 0, LINE_PITCH),
    "IDI Title": (TITLE_FONT, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, Pt(36)),
    "IDI Subtitle": (SUBHEADING_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, LINE_PITCH),
    "IDI Heading": (HEADING_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 0, LINE_PITCH),
    "IDI Heading 2": (SUBHEADING_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 0, LINE_PITCH),
    "IDI Right": (BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, 0, 4, LINE_PITCH),
    "IDI Number": (BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, 0, 0, LINE_PITCH),
    "IDI Table": (BODY_FONT, TABLE_PT, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, Pt(20)),
    "IDI Note": (BODY_FONT, 14, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 0, Pt(24)),
    "IDI Page": (PAGE_NUMBER_FONT, 14, WD_ALIGN_PARAGRAPH.RIGHT, 0, 0, None),
}
_KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", "Header", "Footer",
                "HeaderChar", "FooterChar"}


# Standard rows of a particulars table, by label: the project and its parties as schemas.Project,
# Insurer and Organisation hold them (a unit the data may leave out shows —), the document's date.
PARTICULARS = {
    "项目名称": "{{ project.name }}",
    "项目地址": "{{ project.address }}",
    "建设单位": "{{ project.developer.name }}",
    "施工单位": "{% if project.builder %}{{ project.builder.name }}{% else %}—{% endif %}",
    "监理单位": "{% if project.supervisor %}{{ project.supervisor.name }}{% else %}—{% endif %}",
    "保险公司": "{{ insurer.name }}",
    "风险管理机构": "{{ risk_manager.name }}",
    "报告日期": "{{ date }}",
}


def person(var: str) -> str:
    """Template text for a schemas.Person: '张三（项目经理），联系电话：138…' (title and phone where given)."""
    return ("{{ %s.name }}{%% if %s.title %%}（{{ %s.title }}）{%% endif %%}"
            "{%% if %s.phone %%}，联系电话：{{ %s.phone }}{%% endif %%}") % ((var,) * 5)


class TemplateBuilder:
    """Appends GB/T 9704 paragraphs and tables to a new document; text may hold Jinja tags."""

    def __init__(self, title: str):
        self.doc = Document()
        self.title_text = title
        self._setup_page()
        self._setup_styles()
        self._setup_header_footer()
        body = self.doc.element.body
        for paragraph in list(body.iterchildren(qn("w:p"))):
            body.remove(paragraph)

    # -- page, styles, header and footer ------------------------------------------------

    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(28)
        section.start_type = WD_SECTION.NEW_PAGE

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        _style_fonts(styles["Normal"].element, BODY_FONT, BODY_PT)
        for name, (font, size, align, indent, right, pitch) in STYLES.items():
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.quick_style = True
            _style_fonts(style.element, font, size)
            fmt = style.paragraph_format
            fmt.alignment = align
            fmt.space_before = fmt.space_after = Pt(0)
            if indent:
                _indent_chars(style.element, first_line=indent, size=size)
            if right:
                _indent_chars(style.element, right=right, size=size)
            if pitch is not None:
                fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                fmt.line_spacing = pitch
        styles["IDI Title"].paragraph_format.space_after = Pt(18)

    def _setup_header_footer(self) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            header.paragraphs[0].text = ""
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = self.doc.styles["IDI Page"]
            paragraph.alignment = align
            _indent_chars(paragraph._p, **({"right": 1} if align == WD_ALIGN_PARAGRAPH.RIGHT else {"left": 1}),
                          size=14)
            _run(paragraph, "— ", PAGE_NUMBER_FONT, 14)
            _page_field(_run(paragraph, "", PAGE_NUMBER_FONT, 14))
            _run(paragraph, " —", PAGE_NUMBER_FONT, 14)

    # -- paragraphs ---------------------------------------------------------------------------

    def paragraph(self, style: str, *runs: tuple[str, str] | str):
        """A paragraph of the given style; each run is text (style's font) or (text, font)."""
        paragraph = self.doc.add_paragraph(style=style)
        font, size = STYLES[style][0], STYLES[style][1]
        for run in runs:
            text, run_font = (run, font) if isinstance(run, str) else run
            _run(paragraph, text, run_font, size)
        return paragraph

    def doc_number(self, expr: str = "doc_number") -> None:
        """发文字号 at the right, when the data gives one."""
        with self.when(expr):
            self.paragraph("IDI Number", "{{ %s }}" % expr)
        self.blank()

    def title(self, text: str) -> None:
        self.paragraph("IDI Title", text)

    def subtitle(self, text: str) -> None:
        self.paragraph("IDI Subtitle", text)

    def addressee(self, text: str) -> None:
        self.paragraph("IDI Plain", text)

    def para(self, text: str) -> None:
        self.paragraph("IDI Body", text)

    def plain(self, text: str) -> None:
        self.paragraph("IDI Plain", text)

    def heading(self, text: str) -> None:
        self.paragraph("IDI Heading", text)

    def heading2(self, text: str) -> None:
        self.paragraph("IDI Heading 2", text)

    def clause(self, label: str, heading: str, body: str) -> None:
        """One numbered clause in one paragraph: '一、' + heading in 黑体, then the body in 仿宋.

        Requirements a checker looks for must stand in one clause, so a clause never holds
        sub-numbered items (they would be segmented as separate clauses).
        """
        self.paragraph("IDI Body", (f"{label}{heading}。", HEADING_FONT), body)

    def note(self, text: str) -> None:
        self.paragraph("IDI Note", text)

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.paragraph("IDI Plain", "")

    def right(self, text: str) -> None:
        self.paragraph("IDI Right", text)

    def signature(self, *lines: str, date: Optional[str] = "{{ date }}", seal_room: int = 2) -> None:
        """Signer lines and the date at the right (four characters in), room above for the seal."""
        self.blank(seal_room)
        for line in lines:
            self.right(line)
        if date:
            self.right(date)

    # -- control ----------------------------------------------------------------------------

    @contextmanager
    def when(self, condition: str) -> Iterator[None]:
        self.paragraph("IDI Plain", "{%%p if %s %%}" % condition)
        yield
        self.paragraph("IDI Plain", "{%p endif %}")

    @contextmanager
    def each(self, var: str, sequence: str) -> Iterator[None]:
        self.paragraph("IDI Plain", "{%%p for %s in %s %%}" % (var, sequence))
        yield
        self.paragraph("IDI Plain", "{%p endfor %}")

    # -- tables -----------------------------------------------------------------------------

    def table(self, columns: list[tuple[str, float, str]], sequence: str, var: str) -> None:
        """A grid with a header row and one row per item of `sequence` ({%tr for %}).

        `columns`: (header, width in mm, cell text with Jinja referring to `var`).
        """
        widths = [w for _, w, _ in columns]
        table = self._grid(len(columns), widths)
        self._row(table, [h for h, _, _ in columns], widths, header=True)
        self._row(table, ["{%%tr for %s in %s %%}" % (var, sequence)] + [""] * (len(columns) - 1), widths)
        self._row(table, [c for _, _, c in columns], widths)
        self._row(table, ["{%tr endfor %}"] + [""] * (len(columns) - 1), widths)

    def info_table(self, rows: list[tuple[str, str]], label_mm: float = 40) -> None:
        """A two-column table of labels and values."""
        widths = [label_mm, TYPE_AREA_MM - label_mm]
        table = self._grid(2, widths)
        for label, value in rows:
            self._row(table, [label, value], widths, label_bold=True)

    def _grid(self, count: int, widths: list[float]):
        table = self.doc.add_table(rows=0, cols=count)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = Mm(width)
        return table

    def _row(self, table, texts: list[str], widths: list[float], header: bool = False,
             label_bold: bool = False) -> None:
        row = table.add_row()
        if header:
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:tblHeader"))
        for i, (cell, text, width) in enumerate(zip(row.cells, texts, widths)):
            cell.width = Mm(width)
            paragraph = cell.paragraphs[0]
            paragraph.style = self.doc.styles["IDI Table"]
            font = HEADING_FONT if header or (label_bold and i == 0) else BODY_FONT
            if header:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, text, font, TABLE_PT)

    # -- standard parts, shared by several types ------------------------------------------------

    def numbered(self, sequence: str, text: str = "{{ x }}", var: str = "x") -> None:
        """Items as 1．… 2．… paragraphs."""
        with self.each(var, sequence):
            self.para("{{ loop.index }}．" + text)

    def closing(self, words: str, *lines: str, copies: bool = False, **signature) -> None:
        """A letter's last words ('特此通知。'), its signature (see `signature`) and, with `copies`, 抄送."""
        self.para(words)
        self.signature(*lines, **signature)
        if copies:
            self.copy_to()

    def open_points(self, then: str, sequence: str = "open_points") -> None:
        """What the regulation leaves open (derived.gap_lines), when it leaves anything, and how the
        document settles it (`then`)."""
        with self.when(sequence):
            self.para("规定未明确的事项：{% for g in " + sequence + " %}{{ g }}{% if not loop.last %}；{% endif %}"
                      "{% endfor %}。" + then)

    def submission(self, heading: str, lead: str, noun: str = "本报告") -> None:
        """Where a report goes (`lead`), and the pack's time limit for uploading it with its date
        (derived.due as `upload`)."""
        self.heading(heading)
        self.para(lead + "{% if upload %}{{ upload.sentence }}{% if upload.when %}，" + noun + "{{ upload.when }}上传"
                  "{% endif %}。{% endif %}")

    def masthead(self, subtitle: Optional[str] = None, number: bool = False) -> None:
        """The document's title ({{ doc.title }}), with `number` under its 发文字号 (a 公文: a letter or
        notice, when the data gives one), then `subtitle` (e.g. the project) and a blank line."""
        if number:
            self.doc_number()
        self.title("{{ doc.title }}")
        if subtitle:
            self.subtitle(subtitle)
        self.blank()

    def report_heading(self, subtitle: str = "（{{ project.name }}）") -> None:
        """Title, the subject (the project) as subtitle, and the report's number (编号) at the right under
        them: a report or plan is not a 公文, its number does not stand above the title."""
        self.title("{{ doc.title }}")
        self.subtitle(subtitle)
        with self.when("doc_number"):
            self.paragraph("IDI Number", "编号：{{ doc_number }}")
        self.blank()

    def particulars(self, *rows: str | tuple[str, str]) -> None:
        """A two-column table of labels and values; a row given by its label alone is the standard one
        (PARTICULARS)."""
        self.info_table([(row, PARTICULARS[row]) if isinstance(row, str) else row for row in rows])

    def confirmation(self, party: str = "建设单位确认：{{ project.developer.name }}（盖章）") -> None:
        """Under the signature: the confirming party and who confirmed when (schemas.Confirmation
        `confirmation`), else blanks to fill in by hand."""
        self.right(party)
        self.right("{% if confirmation %}确认人：{{ confirmation.by.name }}　{{ confirmation.signed_on }}"
                   "{% else %}确认人：________　____年__月__日{% endif %}")

    def copy_to(self, sequence: str = "copies") -> None:
        """抄送：a，b。 (when there are any)."""
        with self.when(sequence):
            self.plain("抄送：{% for c in " + sequence + " %}{{ c }}{% if not loop.last %}，{% endif %}{% endfor %}。")

    def sign_table(self, sequence: str = "signatories") -> None:
        """Each party's name and role ({name, role}), with room for its seal, its representative and the date."""
        self.table([("单位", 62, "{{ s.name }}"), ("身份", 26, "{{ s.role }}"), ("盖章", 24, ""),
                    ("代表签字", 22, ""), ("日期", 22, "")], sequence, "s")

    def signing(self, label: str = "签订日期", place: bool = True) -> None:
        """An agreement's end: the parties' signature table, then the date (and the place, if given)."""
        self.blank()
        self.sign_table()
        self.right(label + "：{{ date }}" + ("{% if place %}　签订地点：{{ place }}{% endif %}" if place else ""))

    def meeting_table(self, organiser: str = "{{ doc.issuer }}") -> None:
        """The project and the meeting (schemas.Meeting `meeting`): when, where, who organised, chaired, recorded."""
        self.particulars(
            "项目名称", "项目地址",
            ("会议时间", "{{ meeting.date }} {{ meeting.time }}"),
            ("会议地点", "{{ meeting.place }}"),
            ("会议组织", organiser),
            ("主持人", "{{ meeting.host.name }}{% if meeting.host.title %}（{{ meeting.host.title }}）{% endif %}"),
            ("记录人", "{% if meeting.recorder %}{{ meeting.recorder.name }}{% else %}—{% endif %}"),
        )

    def attendees_table(self, sequence: str = "meeting.attendees") -> None:
        self.table([("序号", 14, "{{ loop.index }}"), ("单位", 52, "{{ a.unit }}"), ("姓名", 22, "{{ a.name }}"),
                    ("职务（角色）", 34, "{{ a.role }}"), ("联系电话", 34, "{{ a.phone }}")], sequence, "a")

    def minutes_end(self, heading: str) -> None:
        """Minutes' last section — the follow-ups (`follow_ups`, {text}) and the other resolutions
        (`resolutions`), numbered on — and the signatures of the chair and the recorder."""
        with self.when("follow_ups or resolutions"):
            self.heading(heading)
            with self.each("f", "follow_ups"):
                self.para("{{ loop.index }}．{{ f.text }}。")
            with self.each("x", "resolutions"):
                self.para("{{ loop.index + follow_ups|length }}．{{ x }}")
        self.signature("主持人：{{ meeting.host.name }}",
                       "记录人：{% if meeting.recorder %}{{ meeting.recorder.name }}{% else %}____________{% endif %}")

    def coverage_table(self, rows: str = "coverage.scopes") -> None:
        """The scopes (derived.coverage `scopes`): title, contents, period."""
        self.table([("承保范围", 40, "{{ s.title }}"), ("承保内容", 88, "{{ s.contents }}"),
                    ("{{ coverage.period_term }}", 28, "{{ s.period }}")], rows, "s")

    def staff_table(self, sequence: str) -> None:
        """A team (schemas.StaffMember)."""
        self.table([("序号", 12, "{{ loop.index }}"), ("单位", 40, "{{ s.unit or '—' }}"), ("姓名", 18, "{{ s.name }}"),
                    ("岗位", 26, "{{ s.role }}"), ("执业资格或职称", 34, "{{ s.qualification or '—' }}"),
                    ("联系电话", 26, "{{ s.phone or '—' }}")], sequence, "s")

    def risk_table(self, sequence: str = "risks") -> None:
        """Quality risks (schemas.RiskEntry)."""
        self.table([("序号", 12, "{{ loop.index }}"), ("部位或分部分项工程", 34, "{{ r.part }}"),
                    ("可能存在的质量风险", 52, "{{ r.risk }}"), ("等级", 12, "{{ r.level }}"),
                    ("防控措施或建议", 46, "{{ r.measure or '—' }}")], sequence, "r")

    def schedule_table(self, sequence: str = "schedule") -> None:
        """A schedule by stage (schemas.ScheduleRow)."""
        self.table([("阶段", 26, "{{ s.stage }}"), ("计划时间", 30, "{{ s.period }}"), ("工作内容", 56, "{{ s.work }}"),
                    ("每月检查", 16, "{% if s.inspections_per_month %}{{ s.inspections_per_month }}次"
                                  "{% else %}—{% endif %}"),
                    ("成果文件", 28, "{{ s.output or '—' }}")], sequence, "s")

    def defects_table(self, sequence: str = "defect_rows") -> None:
        """Defects as derived.defect_rows gives them (status, photo)."""
        self.table([("编号", 14, "{{ d.number }}"), ("部位", 24, "{{ d.location }}"),
                    ("缺陷描述", 36, "{{ d.description }}"), ("严重程度", 14, "{{ d.severity }}"),
                    ("整改责任单位", 24, "{{ d.responsible or '—' }}"), ("整改状态", 22, "{{ d.status }}"),
                    ("照片", 22, "{% if d.photo %}{{ d.photo }}{% else %}—{% endif %}")], sequence, "d")

    # -- output -----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return normalise_package(buffer.getvalue(), self.title_text)


def build_template(spec: Callable[[TemplateBuilder], None], title: str) -> bytes:
    builder = TemplateBuilder(title)
    spec(builder)
    return builder.to_bytes()


# ---------------------------------------------------------------------------------------------
# Runs and properties


def _run(paragraph, text: str, font: str, size: float):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    _set_fonts(run._r.get_or_add_rPr(), font)
    return run


def _set_fonts(rpr, east_asia: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:hint"), "eastAsia")


def _style_fonts(style_element, font: str, size: float) -> None:
    rpr = style_element.get_or_add_rPr()
    _set_fonts(rpr, font)
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr.append(element)
        element.set(qn("w:val"), str(int(size * 2)))


def _indent_chars(element, first_line: int = 0, right: int = 0, left: int = 0, size: float = BODY_PT) -> None:
    """Indents in characters (w:firstLineChars …) with the twip equivalents for older readers."""
    ppr = element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    twips_per_char = int(size * 20)
    for attr, chars in (("firstLine", first_line), ("right", right), ("left", left)):
        if chars:
            ind.set(qn(f"w:{attr}Chars"), str(chars * 100))
            ind.set(qn(f"w:{attr}"), str(chars * twips_per_char))


def _page_field(run) -> None:
    for tag, attrs, text in (("w:fldChar", {"w:fldCharType": "begin"}, None),
                             ("w:instrText", {"xml:space": "preserve"}, " PAGE "),
                             ("w:fldChar", {"w:fldCharType": "separate"}, None),
                             ("w:t", {}, "1"),
                             ("w:fldChar", {"w:fldCharType": "end"}, None)):
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        if text is not None:
            element.text = text
        run._r.append(element)


# ---------------------------------------------------------------------------------------------
# Package normalisation: small, deterministic, zh-CN


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")
FIXED_TIME = (2025, 1, 1, 0, 0, 0)
_CORE = """<?xml version='1.0' encoding='UTF-8' standalone='yes'?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title>\
<dc:creator>idi</dc:creator><dc:language>zh-CN</dc:language><cp:revision>1</cp:revision>\
<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created>\
<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"""


def normalise_package(data: bytes, title: str) -> bytes:
    """Drop parts a template does not need, prune styles, set zh-CN, fix timestamps."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            name = info.filename
            if name.startswith(_DROP_PARTS):
                continue
            content = source.read(name)
            content = _FIXERS.get(name, lambda c, t: c)(content, title)
            entry = zipfile.ZipInfo(name, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def _drop_references(content: bytes, _title: str) -> bytes:
    text = content.decode("utf-8")
    text = re.sub(r'<Relationship [^>]*Target="(?:stylesWithEffects\.xml|docProps/thumbnail\.jpeg|'
                  r'\.\./customXml/[^"]*)"/>', "", text)
    text = re.sub(r'<Override PartName="/(?:word/stylesWithEffects\.xml|customXml/[^"]*)"[^>]*/>', "", text)
    text = text.replace('<Default Extension="jpeg" ContentType="image/jpeg"/>', "")
    return text.encode("utf-8")


def _fix_styles(content: bytes, _title: str) -> bytes:
    root = etree.fromstring(content)
    ns = {"w": _W}
    for latent in root.findall("w:latentStyles", ns):
        root.remove(latent)
    defaults = root.find("w:docDefaults/w:rPrDefault/w:rPr", ns)
    fonts = defaults.find("w:rFonts", ns)
    fonts.attrib.clear()
    for attr, font in (("ascii", LATIN_FONT), ("hAnsi", LATIN_FONT), ("eastAsia", BODY_FONT), ("cs", LATIN_FONT)):
        fonts.set(f"{{{_W}}}{attr}", font)
    for tag in ("sz", "szCs"):
        defaults.find(f"w:{tag}", ns).set(f"{{{_W}}}val", str(BODY_PT * 2))
    lang = defaults.find("w:lang", ns)
    lang.set(f"{{{_W}}}eastAsia", "zh-CN")
    spacing = root.find("w:docDefaults/w:pPrDefault/w:pPr/w:spacing", ns)
    if spacing is not None:
        spacing.getparent().remove(spacing)
    keep = _KEEP_STYLES | {name.replace(" ", "") for name in STYLES}
    for style in root.findall("w:style", ns):
        if style.get(f"{{{_W}}}styleId") not in keep:
            root.remove(style)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fix_settings(content: bytes, _title: str) -> bytes:
    text = content.decode("utf-8")
    text = re.sub(r'<w:themeFontLang [^>]*/>', '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>', text)
    text = re.sub(r'<w14:docId [^>]*/>', "", text)
    text = re.sub(r' w:rsid\w*="[^"]*"', "", text)
    text = re.sub(r'<w:rsids>.*?</w:rsids>', "", text, flags=re.S)
    return text.encode("utf-8")


def _fix_fonts(content: bytes, _title: str) -> bytes:
    entries = "".join(
        f'<w:font w:name="{font}"><w:charset w:val="86"/><w:family w:val="{family}"/>'
        f'<w:pitch w:val="variable"/></w:font>'
        for font, family in ((TITLE_FONT, "script"), (BODY_FONT, "modern"), (HEADING_FONT, "modern"),
                             (SUBHEADING_FONT, "modern"), (PAGE_NUMBER_FONT, "auto")))
    return content.decode("utf-8").replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _fix_core(_content: bytes, title: str) -> bytes:
    from xml.sax.saxutils import escape
    return _CORE.format(title=escape(title)).encode("utf-8")


def _fix_app(content: bytes, _title: str) -> bytes:
    return re.sub(rb"<Application>[^<]*</Application>", b"<Application>idi</Application>", content)


def _strip_rsids(content: bytes, _title: str) -> bytes:
    return re.sub(rb' w:rsid\w*="[^"]*"', b"", content)


_FIXERS: dict[str, Callable[[bytes, str], bytes]] = {
    "[Content_Types].xml": _drop_references,
    "_rels/.rels": _drop_references,
    "word/_rels/document.xml.rels": _drop_references,
    "word/styles.xml": _fix_styles,
    "word/settings.xml": _fix_settings,
    "word/fontTable.xml": _fix_fonts,
    "word/document.xml": _strip_rsids,
    "docProps/core.xml": _fix_core,
    "docProps/app.xml": _fix_app,
}
