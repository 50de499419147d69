#!/usr/bin/env python3
"""Build the sample set: realistic Chinese contracts and notices as DOCX (and PDF), with a manifest.

Every document is assembled from a small document model (sections of paragraphs and tables)
by one builder per document family; a defective case is the compliant text of its family with a
few small edits (replace a phone by a blank, drop an article, name a broker as insurer …).
The manifest states, for every clause requirement of the document's pack that applies to its
kind, the verdict a checker should reach (pass, fail, warn, not-applicable).

    python scripts/make_samples.py OUT_DIR [--no-pdf]

Output: OUT_DIR/docx/<name>.docx, OUT_DIR/pdf/<name>.pdf (one LibreOffice call for all of them,
when `soffice` is installed) and OUT_DIR/manifest.yaml.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Union

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from corpus.insurers import load_insurers  # noqa: E402
from corpus.packs import all_packs  # noqa: E402
from corpus.schema import Pack  # noqa: E402
from corpus.yamlio import load_yaml_file  # noqa: E402

STATUSES = ("pass", "fail", "warn", "not-applicable")
PROJECT_DIR = ROOT / "corpus" / "samples"
SOFFICE_TIMEOUT = 600  # seconds for the single LibreOffice call

# Page geometry (A4, 小四 body text on an exact 20 pt line): 34 lines of 34 CJK characters.
CHARS_PER_LINE = 34
LINES_PER_PAGE = 34
BODY_INDENT = 2  # first-line indent, in characters
ASCII_WIDTH = 0.6  # width of a Latin character relative to a CJK one (estimate)


# =============================================================================================
# Document model


@dataclass(frozen=True)
class Para:
    text: str
    key: str = ""
    style: str = "body"  # body | plain | center | right


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    key: str = ""
    header: bool = False  # first row is a header row


Block = Union[Para, Table]


@dataclass(frozen=True)
class Section:
    key: str
    title: str = ""  # heading without its number; "" = no heading
    body: tuple[Block, ...] = ()
    numbered: bool = True
    new_page: bool = False


@dataclass(frozen=True)
class Document:
    title: str
    header: str
    sections: tuple[Section, ...]
    numbering: str = "article"  # article: 第一条 …; list: 一、…


def paras(*texts: str, key: str = "") -> tuple[Para, ...]:
    return tuple(Para(t, key=key) for t in texts)


def kv_table(*rows: tuple[str, str], key: str = "") -> Table:
    return Table(tuple(rows), key=key)


def cn_number(n: int) -> str:
    """Chinese numeral for 1..99 as used in article numbers (十二, 二十一)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    head = "" if tens == 1 else digits[tens]
    return head + "十" + (digits[ones] if ones else "")


def heading_label(doc: Document, number: int) -> str:
    return f"第{cn_number(number)}条" if doc.numbering == "article" else f"{cn_number(number)}、"


def headings(doc: Document) -> dict[str, str]:
    """Section key -> printed heading (with its number)."""
    out, number = {}, 0
    for section in doc.sections:
        if not section.title:
            continue
        if section.numbered:
            number += 1
            sep = "\u3000" if doc.numbering == "article" else ""
            out[section.key] = f"{heading_label(doc, number)}{sep}{section.title}"
        else:
            out[section.key] = section.title
    return out


def block_texts(block: Block) -> list[str]:
    if isinstance(block, Para):
        return [block.text]
    return [cell for row in block.rows for cell in row]


def document_text(doc: Document) -> str:
    """Plain text of the document (title, headings, paragraphs, table cells)."""
    titles = headings(doc)
    lines = [doc.title]
    for section in doc.sections:
        if section.key in titles:
            lines.append(titles[section.key])
        for block in section.body:
            lines.extend(block_texts(block))
    return "\n".join(lines)


# =============================================================================================
# Edits: a defective (or specially laid out) case is its family's document plus a few edits


def _map_text(block: Block, sub: Callable[[str], str]) -> Block:
    if isinstance(block, Para):
        return replace(block, text=sub(block.text))
    return replace(block, rows=tuple(tuple(sub(c) for c in row) for row in block.rows))


def _with_sections(doc: Document, sections: Iterable[Section]) -> Document:
    return replace(doc, sections=tuple(sections))


@dataclass(frozen=True)
class Replace:
    """Replace text within the section or block `key` (whole document if empty)."""

    old: str
    new: str
    key: str = ""

    def apply(self, doc: Document) -> Document:
        hits = 0

        def sub(text: str) -> str:
            nonlocal hits
            hits += text.count(self.old)
            return text.replace(self.old, self.new)

        out = []
        for s in doc.sections:
            whole = not self.key or s.key == self.key
            body = tuple(_map_text(b, sub) if whole or b.key == self.key else b for b in s.body)
            out.append(replace(s, title=sub(s.title) if whole else s.title, body=body))
        if not hits:
            raise ValueError(f"替换未命中：“{self.old}”（{self.key or '全文'}）")
        return _with_sections(doc, out)


@dataclass(frozen=True)
class Drop:
    """Remove the section or the blocks with this key."""

    key: str

    def apply(self, doc: Document) -> Document:
        kept = [s for s in doc.sections if s.key != self.key]
        out = [replace(s, body=tuple(b for b in s.body if b.key != self.key)) for s in kept]
        if out == list(doc.sections):
            raise ValueError(f"删除未命中：{self.key}")
        return _with_sections(doc, out)


@dataclass(frozen=True)
class Rewrite:
    """Replace the body of a section (or a keyed block) by new paragraphs."""

    key: str
    texts: tuple[str, ...]

    def apply(self, doc: Document) -> Document:
        new = paras(*self.texts, key=self.key)
        out, found = [], False
        for s in doc.sections:
            if s.key == self.key:
                out.append(replace(s, body=new))
                found = True
                continue
            body: list[Block] = []
            for b in s.body:
                if b.key == self.key:
                    body.extend(new if not found else ())
                    found = True
                else:
                    body.append(b)
            out.append(replace(s, body=tuple(body)))
        if not found:
            raise ValueError(f"改写未命中：{self.key}")
        return _with_sections(doc, out)


@dataclass(frozen=True)
class SplitAcrossPages:
    """Lay out the block `target` across a page boundary: `first` on one page, `last` on the next.

    A page break goes before the section `filler`, and that section keeps just enough of its
    paragraphs for the target paragraph to start a few lines above the end of the page. The
    layout is estimated from the fixed page geometry; the PDF is checked afterwards.
    """

    target: str
    first: str
    last: str
    filler: str

    def apply(self, doc: Document) -> Document:
        titles = headings(doc)
        keys = [s.key for s in doc.sections]
        start = keys.index(self.filler)
        used, target = 0, None
        for s in doc.sections[start:]:
            used += estimate_lines(titles.get(s.key, ""), indent=0) if s.title else 0
            for b in (s.body if s.key != self.filler else ()):
                if b.key == self.target:
                    target = b
                    break
                used += estimate_block_lines(b)
            if target is not None:
                break
        if not isinstance(target, Para):
            raise ValueError(f"分页目标段落未找到：{self.target}")
        lo, hi = self._start_line_range(target.text)
        pool = [b for b in doc.sections[start].body if isinstance(b, Para)]
        chosen = _choose_filler(pool, lo - 1 - used, hi - 1 - used)
        filler = replace(doc.sections[start], body=tuple(chosen), new_page=True)
        return _with_sections(doc, (filler if s.key == self.filler else s for s in doc.sections))

    def _start_line_range(self, text: str) -> tuple[int, int]:
        """1-based page lines where the target may start so that the split falls in between."""
        first_end = text.index(self.first) + len(self.first)
        last_start = text.index(self.last)
        a = int((BODY_INDENT + text_units(text[:first_end]) - 0.5) // CHARS_PER_LINE)
        b = int((BODY_INDENT + text_units(text[:last_start])) // CHARS_PER_LINE)
        lo, hi = LINES_PER_PAGE + 1 - b, LINES_PER_PAGE - a
        if lo > hi:
            raise ValueError(f"“{self.first}”与“{self.last}”相距太近，无法跨页")
        return lo, hi


def text_units(text: str) -> float:
    """Printed width in CJK character cells."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else ASCII_WIDTH for ch in text)


def estimate_lines(text: str, indent: int = BODY_INDENT) -> int:
    return max(1, math.ceil((indent + text_units(text)) / CHARS_PER_LINE))


def estimate_block_lines(block: Block) -> int:
    if isinstance(block, Para):
        return estimate_lines(block.text, BODY_INDENT if block.style == "body" else 0)
    raise ValueError("跨页排版区域内不应有表格")


def _choose_filler(pool: list[Para], low: int, high: int) -> list[Para]:
    """An order-preserving subset of `pool` whose line count lies in [low, high], nearest the middle."""
    if high < 0:
        raise ValueError("跨页排版：目标段落之前的内容已超过一页，请换一个填充条款")
    reachable: dict[int, list[Para]] = {0: []}
    for para in pool:
        n = estimate_block_lines(para)
        for total, chosen in list(reachable.items()):
            reachable.setdefault(total + n, chosen + [para])
    fits = [t for t in reachable if low <= t <= high]
    if not fits:
        raise ValueError(f"跨页排版：填充段落无法凑足 {low}–{high} 行（可得 {sorted(reachable)}）")
    middle = (low + high) / 2
    return reachable[min(fits, key=lambda t: (abs(t - middle), t))]


# =============================================================================================
# Projects and the parties of each pack's sample documents


@dataclass(frozen=True)
class Project:
    name: str
    milestones: dict[str, str]
    path: str | None  # relative to the repository root


def load_project(pack: Pack) -> Project:
    path = PROJECT_DIR / f"project-{pack.city_en}.yaml"
    if not path.exists():
        return Project(f"{pack.city}示范住宅项目", {}, None)
    data = load_yaml_file(path)
    milestones = {k: str(v) for k, v in (data.get("milestones") or {}).items()}
    return Project(str(data["name"]), milestones, path.relative_to(ROOT).as_posix())


def cn_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def add_years(iso: str, years: int) -> str:
    d = date.fromisoformat(iso)
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).isoformat()


def months_before(iso: str, months: int) -> str:
    d = date.fromisoformat(iso)
    year, month = divmod(d.year * 12 + d.month - 1 - months, 12)
    return d.replace(year=year, month=month + 1, day=min(d.day, 28)).isoformat()


def liability_start(pack: Pack, project: Project) -> str:
    """Cover start of the sample project: from the project file, else the pack's rule."""
    if "liability_start" in project.milestones:
        return project.milestones["liability_start"]
    start = pack.coverage.start
    anchor = project.milestones.get(start.anchor)
    if anchor is None or start.offset.value is None or start.offset.unit != "years":
        raise ValueError(f"{pack.id}：示例项目缺少计算保险责任开始日所需的里程碑")
    return add_years(anchor, int(start.offset.value))


@dataclass(frozen=True)
class Cast:
    """Fictional parties (and real licensed insurers) of one pack's sample documents."""

    address: str
    developer: str
    legal_rep: str
    sales_phone: str
    contractor: str
    designer: str
    supplier: str
    supervisor: str
    insurers: tuple[str, ...]  # lead insurer first
    claims_unit: str
    claims_phone: str
    arbitration: str
    property_manager: str = ""
    property_phone: str = ""
    repair_phone: str = ""
    repair_address: str = ""
    supervision_phone: str = ""
    policy_no: str = "PQDE2024330100000158"
    area: str = "128,600平方米"
    insured_value: str = "人民币386,500,000元"
    buildings: tuple[tuple[str, ...], ...] = (
        ("1号楼", "住宅", "18", "2", "10,820"), ("2号楼", "住宅", "18", "2", "10,820"),
        ("3号楼", "住宅", "26", "2", "15,360"), ("4号楼", "住宅", "26", "2", "15,360"),
        ("5号楼", "配套用房", "3", "1", "2,460"), ("地下车库", "车库", "0", "2", "38,240"))

    @property
    def insurer(self) -> str:
        return self.insurers[0]


CASTS = {
    "shanghai-2025": Cast(
        address="上海市闵行区浦江镇江月路1888弄", developer="上海浦江华庭置业有限公司",
        legal_rep="陈立群", sales_phone="021-64589988", contractor="上海申浦建筑工程有限公司",
        designer="上海华浦建筑设计研究院有限公司", supplier="上海沪宁门窗幕墙工程有限公司",
        supervisor="上海申江工程建设监理有限公司", insurers=("中国太平洋财产保险股份有限公司",),
        claims_unit="中国太平洋财产保险股份有限公司上海分公司", claims_phone="021-33966600",
        arbitration="上海仲裁委员会", property_manager="上海浦华物业服务有限公司",
        property_phone="021-64582266", repair_phone="021-64581230",
        repair_address="上海市闵行区浦江镇江月路1888弄12号底层维修服务站",
        supervision_phone="021-64587700"),
    "hangzhou-2024": Cast(
        address="杭州市西湖区之江路2588号", developer="杭州之江安居建设发展有限公司",
        legal_rep="周建平", sales_phone="0571-87065500", contractor="浙江之江建工集团有限公司",
        designer="杭州钱塘建筑设计有限公司", supplier="浙江钱江防水材料有限公司",
        supervisor="浙江明城工程监理有限公司",
        insurers=("中国人民财产保险股份有限公司", "中国平安财产保险股份有限公司", "中国大地财产保险股份有限公司"),
        claims_unit="中国人民财产保险股份有限公司杭州市分公司住宅质量保险理赔服务中心",
        claims_phone="0571-85123456", arbitration="杭州仲裁委员会", policy_no="PQDE202433010000158",
        property_manager="杭州之江物业服务有限公司", property_phone="0571-87065511"),
    "beijing-2019": Cast(
        address="北京市门头沟区永定镇石龙西路66号", developer="北京京西雅苑房地产开发有限公司",
        legal_rep="刘志远", sales_phone="010-69856600", contractor="北京城西建工集团有限公司",
        designer="北京燕山建筑设计有限公司", supplier="北京京诚建材有限公司",
        supervisor="北京京咨工程监理有限公司",
        insurers=("中国人民财产保险股份有限公司", "中国太平洋财产保险股份有限公司", "中国平安财产保险股份有限公司"),
        claims_unit="中国人民财产保险股份有限公司北京市分公司住宅工程质量潜在缺陷保险理赔中心",
        claims_phone="010-63125588", arbitration="北京仲裁委员会", policy_no="PQDE201911010000326"),
    "jiaxing-2018": Cast(
        address="浙江省海宁市海洲街道鸿翔路188号", developer="海宁鸿翔置业有限公司",
        legal_rep="沈国良", sales_phone="0573-87226600", contractor="浙江海宁鸿业建设有限公司",
        designer="嘉兴南湖建筑设计有限公司", supplier="海宁潮城建材有限公司",
        supervisor="嘉兴禾城工程监理有限公司", insurers=("中国人民财产保险股份有限公司",),
        claims_unit="中国人民财产保险股份有限公司海宁支公司", claims_phone="0573-87225518",
        arbitration="嘉兴仲裁委员会", policy_no="PQDE201833048100012"),
    "jiyuan-2022": Cast(
        address="河南省济源市虎岭产业集聚区金马路16号", developer="济源市豫新实业有限公司",
        legal_rep="王建军", sales_phone="0391-6601188", contractor="河南济建建设工程有限公司",
        designer="河南中原建筑设计有限公司", supplier="济源市天坛建材有限公司",
        supervisor="河南豫安工程监理有限公司", insurers=("中华联合财产保险股份有限公司",),
        claims_unit="中华联合财产保险股份有限公司济源中心支公司理赔部", claims_phone="0391-6632158",
        arbitration="济源仲裁委员会", policy_no="ZHLH2022419001000047", area="2,860平方米",
        insured_value="人民币8,600,000元", buildings=(("1号仓储用房", "仓储", "2", "0", "2,860"),)),
}
BROKER = "上海申安保险经纪有限公司"  # a broker: never a valid insurer


def hotline(insurer: str) -> str:
    found = load_insurers().by_name(insurer)
    if found is None or not found.hotline:
        raise ValueError(f"保险机构名录中没有“{insurer}”的客服电话")
    return found.hotline


def fullwidth(text: str) -> str:
    """ASCII digits and hyphens as their full-width forms (０２１－…)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "-" else c for c in text)


@dataclass(frozen=True)
class Ctx:
    """What a builder needs: the pack, its project and its cast."""

    pack: Pack
    project: Project
    cast: Cast

    @property
    def start(self) -> str:
        return liability_start(self.pack, self.project)

    def milestone(self, name: str, default: str) -> str:
        return cn_date(self.project.milestones.get(name, default))


# =============================================================================================
# Shared parts of contracts


def party_section(rows: Iterable[tuple[str, str]], preamble: str) -> Section:
    return Section("front", body=(kv_table(*rows, key="parties"), Para(preamble)), numbered=False)


def closing_sections(first: str, second: str, forum: str, copies: str) -> tuple[Section, ...]:
    """不可抗力, 通知与送达, 争议解决, 合同生效 — worded for the two parties' labels."""
    return (
        Section("force-majeure", "不可抗力", paras(
            "因不可抗力不能按照约定履行本合同的，根据不可抗力的影响，部分或者全部免除责任，但因迟延履行后发生不可抗力的除外。"
            "受不可抗力影响的一方应当在不可抗力发生之日起7日内书面通知对方，并在不可抗力结束之日起15日内提交相关证明。",
            "不可抗力事件消除后，双方应当继续履行本合同，合同期限相应顺延；不可抗力持续超过90日致使合同目的不能实现的，任何一方均可书面通知对方解除本合同。")),
        Section("notices", "通知与送达", paras(
            f"{first}和{second}因履行本合同发出的通知、催告和其他文件，应当以书面形式按照本合同首部载明的通讯地址送达。"
            "一方变更通讯地址的，应当自变更之日起5日内书面通知对方；未及时通知的，按原地址送达即视为有效送达。",
            "以邮寄方式送达的，以邮件签收之日为送达日；邮件被拒收或者退回的，以邮件退回之日为送达日。")),
        Section("dispute", "争议解决", paras(
            f"本合同在履行过程中发生的争议，由双方协商解决；协商不成的，提交{forum}。争议解决期间，不涉及争议部分的条款仍应当继续履行。")),
        Section("effect", "合同生效", paras(
            f"本合同自{first}、{second}签字或者盖章之日起生效。本合同未尽事宜，双方可以另行签订补充协议，补充协议与本合同具有同等法律效力。",
            f"本合同连同附件共{copies}，具有同等法律效力。")),
    )


def signature_section(signers: Iterable[tuple[str, str]], signed: str) -> Section:
    lines = [Para(f"{role}：{name}", style="plain") for role, name in signers]
    lines.append(Para(f"签订日期：{signed}", style="plain"))
    return Section("signatures", body=tuple(lines), numbered=False)


# =============================================================================================
# Shanghai: the written commitment in sales contracts and the quality warranty (第九条（一）5)


def shanghai_commitment(ctx: Ctx, developer: str, owner: str, layout: str) -> Section:
    """The IDI article: repair unit and phone, supervision phone, insurer and its phone."""
    c = ctx.cast
    intro = ("本项目已按照《上海市住宅工程质量潜在缺陷保险实施细则》的规定投保住宅工程质量潜在缺陷保险，"
             "保险期限自本项目竣工验收备案之日起满两年后开始计算。")
    closing = Para(f"上述单位名称或者联系电话发生变更的，{developer}应当自变更之日起15日内书面告知{owner}，"
                   "并在物业管理区域内的显著位置公示。", key="idi-change")
    if layout == "table":
        body: tuple[Block, ...] = (
            Para(intro + f"{developer}就保险期限起算日之前负责维修的单位、建设单位监督电话以及保险期限内的保险公司向{owner}作出如下书面承诺："),
            Table((("承诺事项", "内容"),
                   ("保险期限起算日之前负责维修的单位名称", c.contractor),
                   ("维修单位联系电话", c.repair_phone),
                   ("建设单位监督电话", c.supervision_phone),
                   ("保险期限内的保险公司名称", c.insurer),
                   ("保险公司联系电话", hotline(c.insurer))), key="commitment", header=True),
            closing)
    else:
        body = (
            Para(intro + f"{developer}就下列事项向{owner}作出书面承诺：", key="idi-intro"),
            Para(f"（一）保险期限起算日之前负责维修的单位名称：{c.contractor}。该单位受{developer}委托，承担保险期限起算日之前"
                 f"该房屋在保修范围和保修期限内的维修责任，维修服务站地址为{c.repair_address}，报修受理时间为每日8:30至17:30，"
                 f"接到报修后24小时内响应、紧急情况下2小时内到达现场，维修完成后由{owner}签字确认。"
                 f"维修单位联系电话：{c.repair_phone}。", key="repair"),
            Para(f"（二）建设单位监督电话：{c.supervision_phone}", key="supervision"),
            Para(f"{owner}对维修质量或者维修响应时间有异议的，可以拨打上述监督电话投诉，{developer}应当自接到投诉之日起3日内予以答复。",
                 key="supervision-note"),
            Para(f"（三）保险期限内的保险公司名称：{c.insurer}；保险公司联系电话：{hotline(c.insurer)}。", key="insurer"),
            Para(f"保险期限内发生保险责任范围内的质量缺陷的，{owner}可以直接向保险公司报案并申请理赔。", key="insurer-note"),
            closing)
    return Section("idi", "住宅工程质量潜在缺陷保险", body)


# =============================================================================================
# Shanghai: 商品房预售合同 / 商品房出售合同


def sales_contract(ctx: Ctx, presale: bool = True, layout: str = "items") -> Document:
    c, p = ctx.cast, ctx.project
    verb = "预购" if presale else "购买"
    title = "上海市商品房预售合同" if presale else "上海市商品房出售合同"
    front = party_section((
        ("合同编号", "HT-PJHT-2025-0318" if presale else "HT-PJHT-2027-0102"),
        ("出卖人（甲方）", c.developer),
        ("注册地址", "上海市闵行区浦江镇联航路1505号"),
        ("法定代表人", c.legal_rep),
        ("销售热线", c.sales_phone),
        ("买受人（乙方）", "张明华"),
        ("证件号码", "310112198506121234"),
        ("通讯地址", "上海市徐汇区漕溪北路88号1602室"),
        ("联系电话", "13816625530"),
    ), "根据《中华人民共和国民法典》《中华人民共和国城市房地产管理法》《上海市房地产转让办法》及其他有关法律、法规的规定，"
       f"甲、乙双方在平等、自愿、公平、协商一致的基础上，就乙方向甲方{verb}商品房事宜，订立本合同，共同遵守。")
    sections = [front, *_sales_basis(ctx, presale), *_sales_price(presale), *_sales_delivery(ctx, presale),
                *_sales_quality(), shanghai_commitment(ctx, "甲方", "乙方", layout), *_sales_after(c),
                *closing_sections("甲方", "乙方", f"{c.arbitration}仲裁", "四份，甲方执二份，乙方、贷款银行各执一份"),
                signature_section((("甲方（盖章）", c.developer), ("法定代表人", c.legal_rep), ("乙方（签字）", "张明华")),
                                  "2025年12月16日" if presale else "2027年1月8日"),
                _sales_annex()]
    return Document(title, f"{title}（{p.name}）", tuple(sections))


def _sales_basis(ctx: Ctx, presale: bool) -> tuple[Section, ...]:
    c, p = ctx.cast, ctx.project
    land = Section("basis", "项目建设依据", paras(
        f"甲方以出让方式取得位于{c.address}地块的国有建设用地使用权，土地使用权出让合同号为沪闵规划资源（2024）出让合同第0156号，"
        "土地用途为住宅，土地使用期限自2024年6月1日起至2094年5月31日止。",
        f"甲方经批准在上述地块上投资建设{p.name}，建设工程规划许可证号为沪闵建（2024）FA310112202400318号，"
        "建筑工程施工许可证号为310112202411100101。"))
    if presale:
        permit = Section("permit", "商品房预售许可", paras(
            "甲方已取得上海市闵行区房屋管理局核发的《上海市商品房预售许可证》，许可证编号为闵行房管（2025）预字0000321号。"
            "甲方应当在销售现场的显著位置公示预售许可证，本合同所涉房屋在预售许可证核准的预售范围之内。"))
    else:
        permit = Section("permit", "房屋权属状况", paras(
            "甲方已就该房屋所在楼栋办理不动产首次登记，不动产权证书编号为沪（2027）闵字不动产权第012345号。"
            "甲方保证该房屋权属清楚，没有设定抵押、查封等权利限制，也不存在其他产权纠纷。"))
    house = Section("house", "房屋基本情况", paras(
        f"乙方{'预购' if presale else '购买'}的房屋为{p.name}第12幢1203室（以下简称该房屋），房屋用途为居住，房屋类型为高层住宅，"
        "结构为钢筋混凝土剪力墙结构，层高为2.95米，该房屋所在楼栋地上18层、地下2层。",
        "该房屋的平面图及其在整个楼栋中的位置图见本合同附件一，该房屋的装饰装修及设备标准见本合同附件二。"))
    area = Section("area", "房屋面积", paras(
        f"该房屋的{'预测' if presale else '实测'}建筑面积为89.56平方米，其中套内建筑面积为70.12平方米，"
        "分摊的共有部位和共用房屋建筑面积为19.44平方米。房屋面积以房地产测绘机构出具的测绘成果为准。"))
    return land, permit, house, area


def _sales_price(presale: bool) -> tuple[Section, ...]:
    price = Section("price", "房屋价款", paras(
        "该房屋按建筑面积计算价格，每平方米单价为人民币62,800元，总房价款为人民币5,624,368元（大写：伍佰陆拾贰万肆仟叁佰陆拾捌元整）。",
        "总房价款包括该房屋分摊的共有部位和共用房屋的价款，不包括应由乙方承担的税费、住宅专项维修资金和不动产登记费用。"))
    payment = Section("payment", "付款方式和期限", paras(
        "乙方采用银行按揭贷款方式付款：（一）本合同签订之日，乙方支付首期房价款人民币1,700,000元；"
        "（二）其余房价款人民币3,924,368元，由乙方向贷款银行申请个人住房贷款支付，乙方应当在本合同签订之日起30日内备齐贷款所需材料。",
        "乙方的贷款申请未获批准的，双方应当自收到不予贷款通知之日起15日内协商付款方式；协商不成的，乙方可以解除本合同，甲方应当退还已付房价款。"))
    late = Section("late-payment", "逾期付款责任", paras(
        "乙方未按照本合同约定的时间付款的，应当向甲方支付违约金，违约金自约定的应付款期限届满之次日起至实际付款之日止，"
        "按日计算，日违约金为逾期未付款的万分之一点五。",
        "乙方逾期付款超过60日的，甲方有权书面通知乙方解除本合同，乙方应当按照总房价款的5%向甲方支付违约金。"))
    return price, payment, late


def _sales_delivery(ctx: Ctx, presale: bool) -> tuple[Section, ...]:
    delivery_date = ctx.milestone("delivery", "2026-12-20") if presale else "本合同签订之日起30日内"
    delivery = Section("delivery", "房屋交付", paras(
        f"甲方应当在{delivery_date}前将该房屋交付乙方。交付时该房屋应当已取得建设工程竣工验收备案证明文件和房屋测绘报告。",
        "甲方交付该房屋时，应当向乙方提供《新建住宅质量保证书》和《新建住宅使用说明书》，并与乙方共同查验房屋，"
        "乙方对房屋质量提出的问题，甲方应当在约定期限内处理完毕。"))
    late = Section("late-delivery", "逾期交房责任", paras(
        "除不可抗力外，甲方未按照本合同约定的期限交付该房屋的，应当向乙方支付违约金，违约金按日计算，日违约金为乙方已付房价款的万分之一点五。",
        "甲方逾期交付超过90日的，乙方有权书面通知甲方解除本合同，甲方应当自解除通知送达之日起30日内退还乙方已付全部房价款，"
        "并按照总房价款的5%向乙方支付违约金。"))
    if not presale:
        return delivery, late
    area = Section("area-difference", "面积差异处理", paras(
        "该房屋交付时，房屋实测建筑面积与本合同约定的预测建筑面积发生差异的，双方同意按照下列原则处理：",
        "（一）面积误差比绝对值在3%以内（含3%）的，据实结算房价款；",
        "（二）面积误差比绝对值超过3%的，乙方有权解除本合同。乙方选择解除合同的，甲方应当自解除通知送达之日起30日内退还乙方已付房价款及利息。"))
    change = Section("design-change", "规划设计变更", paras(
        "经规划部门批准的规划变更、设计单位同意的设计变更导致该房屋的结构形式、户型、空间尺寸或者朝向发生变化的，"
        "甲方应当自变更确立之日起10日内书面通知乙方。",
        "乙方有权自通知送达之日起15日内作出是否解除本合同的书面答复；乙方逾期未作答复的，视同接受变更。"))
    return delivery, late, area, change


def _sales_quality() -> tuple[Section, ...]:
    # Paragraphs of 房屋质量 are also the pool the page-split case draws its filler from.
    quality = Section("quality", "房屋质量", paras(
        "甲方承诺该房屋使用合格的建筑材料、构配件和设备，装置、装修、装饰所用材料的产品质量符合国家强制性标准及双方约定的标准。",
        "该房屋的地基基础和主体结构质量应当符合国家和本市的有关标准及设计文件的要求，并经竣工验收合格。",
        "经有资质的检测机构检测，该房屋主体结构质量不合格的，乙方有权解除本合同，甲方应当退还全部已付房价款及利息，并赔偿乙方因此受到的损失。",
        "该房屋室内空气质量应当符合国家标准。乙方对室内空气质量有异议的，可以在交付之日起30日内委托有资质的检测机构检测，检测费用先由乙方垫付，"
        "检测结果不合格的由甲方承担。",
        "该房屋的给水、排水、供电、燃气、通信、有线电视等设施应当在交付时具备使用条件。",
        "小区道路、绿化、停车场所、垃圾收集点等公共配套设施应当与住宅同步建成交付使用。",
        "该房屋的外墙、屋面、外窗和卫生间应当按照设计要求做好防水处理，交付前应当完成闭水试验。",
        "乙方在交付前发现房屋存在质量问题的，可以书面要求甲方修复，甲方应当在交付前修复完毕。",
        "甲方应当在交付时向乙方出具该房屋的分户验收表。",
        "双方对房屋质量存在争议的，可以共同委托有资质的检测机构检测。",
    ))
    warranty = Section("warranty", "保修责任", paras(
        "该房屋的保修范围和保修期限按照《新建住宅质量保证书》执行，保修期限自该房屋交付之日起计算。",
        "在保修范围和保修期限内发生质量问题的，甲方应当履行保修义务；因不可归责于甲方的原因造成的损坏，甲方可以协助修复，费用由责任方承担。"))
    return quality, warranty


def _sales_after(c: Cast) -> tuple[Section, ...]:
    return (
        Section("registration", "不动产登记", paras(
            "甲方应当在该房屋交付之日起180日内，向不动产登记机构申请办理该房屋所有权首次登记，并协助乙方办理转移登记。",
            "因甲方原因，乙方未能在约定期限内取得不动产权证书的，甲方应当按照乙方已付房价款的万分之一向乙方支付违约金。")),
        Section("property", "前期物业管理", paras(
            f"该房屋所在物业管理区域的前期物业服务企业为{c.property_manager}，物业服务费标准为每月每平方米建筑面积人民币4.80元。",
            "乙方已详细阅读前期物业服务合同和临时管理规约，同意由甲方依法选聘的物业服务企业提供前期物业服务。")),
        Section("maintenance-fund", "住宅专项维修资金", paras(
            "乙方应当在办理该房屋交付手续前，按照本市规定的标准交纳住宅专项维修资金。住宅专项维修资金属于业主所有，"
            "专项用于住宅共用部位、共用设施设备保修期满后的维修和更新、改造。")),
    )


def _sales_annex() -> Section:
    return Section("annex", "附件一　该房屋平面图及位置图（略）　附件二　装饰装修及设备标准", (
        Table((("部位", "装饰装修及设备标准"),
               ("外墙", "真石漆涂料及铝板幕墙，首层石材干挂"),
               ("外窗", "断桥隔热铝合金窗框，中空双层玻璃"),
               ("入户门", "甲级钢质防盗门，配智能门锁"),
               ("客厅、卧室", "墙面乳胶漆，地面复合木地板，石膏板吊顶"),
               ("厨房", "墙地砖，整体橱柜，燃气灶及吸油烟机"),
               ("卫生间", "墙地砖，防水层上翻1.8米，坐便器、洗脸盆、淋浴屏"),
               ("给水排水", "PP-R给水管，UPVC排水管，分户水表"),
               ("电气", "阻燃铜芯导线，空调回路独立设置，分户配电箱"),
               ("智能化", "可视对讲，入户光纤，燃气泄漏报警"),
               ("电梯", "每单元两部，载重1000千克")), header=True),
        Para("附件三　补充协议：无。", style="plain")),
        numbered=False, new_page=True)


# =============================================================================================
# Shanghai: 新建住宅质量保证书


def quality_warranty(ctx: Ctx, layout: str = "items") -> Document:
    c, p = ctx.cast, ctx.project
    front = Section("front", body=(
        Para(f"（{p.name}）", style="center"),
        kv_table(("房屋坐落", f"{c.address}12号1203室"), ("建设单位", c.developer), ("设计单位", c.designer),
                 ("施工单位", c.contractor), ("监理单位", c.supervisor),
                 ("竣工验收日期", ctx.milestone("completion_accepted", "2026-10-28")),
                 ("竣工验收备案日期", ctx.milestone("completion_filed", "2026-11-16")), key="parties"),
        Para("本保证书是建设单位对所交付新建住宅承担质量责任的法律文件，根据《建设工程质量管理条例》《房屋建筑工程质量保修办法》"
             "及本市有关规定制定，作为商品房买卖合同的补充约定，与合同具有同等效力。")), numbered=False)
    sections = (
        front,
        Section("status", "工程质量状况", paras(
            f"该住宅工程已经建设、设计、施工、监理等单位竣工验收合格，并于{ctx.milestone('completion_filed', '2026-11-16')}办理竣工验收备案。"
            "工程质量符合国家和本市现行工程建设强制性标准及设计文件的要求。")),
        Section("scope", "保修范围和保修期限", paras(
            "在正常使用条件下，该住宅的保修范围和最低保修期限如下：",
            "（一）地基基础工程和主体结构工程，为设计文件规定的该工程的合理使用年限；",
            "（二）屋面防水工程、有防水要求的卫生间、房间和外墙面的防渗漏，为5年；",
            "（三）供热与供冷系统，为2个采暖期、供冷期；",
            "（四）电气管线、给排水管道、设备安装，为2年；",
            "（五）装修工程，为2年；",
            "（六）门窗翘裂、五金件损坏，为2年；",
            "（七）管道堵塞，为交付之日起60日；卫生洁具，为1年；灯具、电器开关，为6个月。",
            "保修期限自该住宅交付之日起计算。")),
        Section("duty", "保修责任和报修程序", paras(
            "在保修范围和保修期限内发生质量问题的，住宅使用人可以向维修单位报修，维修单位应当在接到报修后及时派员到现场勘查，并按照约定期限完成维修。",
            "涉及结构安全的质量问题，维修单位应当立即向建设单位报告并采取安全防范措施，由原设计单位或者具有相应资质等级的设计单位提出保修方案后实施维修。",
            "发生紧急抢修事故的，维修单位接到报修后应当立即到达现场抢修。维修完成后，由住宅使用人或者其委托的物业服务企业验收确认。",
            "因住宅使用人使用不当或者擅自改动结构、设备位置和不当装修等造成的质量问题，不属于保修范围，维修单位可以提供有偿维修服务。")),
        shanghai_commitment(ctx, "建设单位", "住宅使用人", layout),
        Section("use", "使用注意事项", paras(
            "住宅使用人应当按照《新建住宅使用说明书》的要求正确使用住宅，不得擅自拆改承重墙体、梁柱和楼板，不得改变有防水要求的房间的使用功能。",
            "住宅使用人装修前应当告知物业服务企业，装修过程中不得破坏防水层、外墙保温层，不得在外墙上开凿孔洞。")),
        Section("other", "其他", paras(
            "本保证书一式两份，建设单位和住宅使用人各执一份。本保证书未尽事宜，按照国家和本市有关规定执行。")),
        signature_section((("建设单位（盖章）", c.developer),), ctx.milestone("delivery", "2026-12-20")),
        Section("annex", "附表　主要部位保修项目及保修期限一览表", (Table((
            ("序号", "保修部位", "保修内容", "保修期限"),
            ("1", "地基基础", "不均匀沉降、裂缝", "设计合理使用年限"),
            ("2", "主体结构", "梁、板、柱、墙裂缝及变形", "设计合理使用年限"),
            ("3", "屋面", "渗漏", "5年"),
            ("4", "卫生间、厨房", "防水层渗漏", "5年"),
            ("5", "外墙", "渗漏、饰面空鼓脱落", "5年"),
            ("6", "外窗", "渗漏、开启不灵", "2年"),
            ("7", "给水排水管道", "渗漏、堵塞", "2年"),
            ("8", "电气管线", "线路故障", "2年"),
            ("9", "地面、墙面", "空鼓、开裂、起砂", "2年"),
            ("10", "门窗五金", "损坏", "2年"),
            ("11", "卫生洁具", "损坏、渗漏", "1年"),
            ("12", "灯具、电器开关", "损坏", "6个月")), header=True),), numbered=False, new_page=True),
    )
    return Document("新建住宅质量保证书", f"新建住宅质量保证书（{p.name}）", sections, numbering="list")


# =============================================================================================
# Owner-facing notices: the registration form they carry as an annex


def repair_form_annex(title: str) -> Section:
    """A blank form: its blanks belong to the owner and must not count against the notice."""
    return Section("annex", title, (Table((
        ("登记项目", "填写内容"),
        ("业主姓名", "______"),
        ("房屋坐落", "______幢______室"),
        ("联系电话", "______"),
        ("缺陷部位及现象", "______"),
        ("发现日期", "____年__月__日"),
        ("附照片或者视频", "□有　□无")), header=True),
        Para("填表说明：本表由业主填写，可以交物业服务中心统一登记转交，也可以拍照后通过服务电话或者线上渠道提交。", style="plain")),
        numbered=False, new_page=True)


def owner_announcement(ctx: Ctx) -> Document:
    """Shanghai 第九条（一）7: the announcement that the warranty period turns into the cover period."""
    c, p = ctx.cast, ctx.project
    start = cn_date(ctx.start)
    front = Section("front", body=(
        Para(f"{p.name}全体业主：", style="plain"),
        Para(f"根据《上海市住宅工程质量潜在缺陷保险实施细则》第九条的规定，本项目自{start}起进入住宅工程质量潜在缺陷保险责任期。"
             "现将有关事项公告如下：")), numbered=False)
    sections = (
        front,
        Section("insurer", "保险公司名称和联系方式", paras(
            f"本项目住宅工程质量潜在缺陷保险的保险公司名称：{c.insurer}；联系电话：{hotline(c.insurer)}（24小时报案服务）；"
            f"承办理赔的分支机构：{c.claims_unit}，服务电话：{c.claims_phone}。")),
        Section("coverage", "保险责任、保险范围和保险期限", (
            Para("保险责任：在保险期限内，因工程质量潜在缺陷导致本项目住宅出现下列情形的，由保险公司负责组织维修或者赔偿："),
            Para("（一）地基基础和主体结构工程出现影响结构安全的裂缝、变形、破损、断裂，地基产生超出设计规范允许的不均匀沉降；"),
            Para("（二）围护结构保温工程出现保温层破损、脱落；"),
            Para("（三）屋面、外墙、外窗及有防水要求的房间出现渗漏。"),
            Para("保险范围为上述地基基础和主体结构工程、保温工程和防水工程。"),
            Para(f"保险期限：地基基础和主体结构工程为10年，保温和防水工程为5年，均自{start}起算。", key="periods"))),
        Section("claims", "理赔申请流程", paras(
            "（一）报案：业主发现房屋存在质量缺陷的，可以拨打保险公司报案电话或者通过物业服务中心报案，报案时应当说明房屋坐落、缺陷部位及现象和联系方式。",
            "（二）查勘：保险公司自接到报案之日起2日内派员到现场查勘，业主应当予以配合。",
            "（三）核定：保险公司应当自查勘之日起7日内作出核定，并将核定结果书面通知业主。",
            "（四）维修或者赔偿：经核定属于保险赔偿的，保险公司应当组织维修或者支付赔偿金；业主对核定结果有异议的，可以与保险公司共同委托第三方鉴定机构鉴定。")),
        Section("pending", "保修期内已报修问题的处理", paras(
            "对保修期内业主已经报修但尚未维修完毕的质量问题，仍由原维修单位负责维修完毕，建设单位负责督促落实。")),
        Section("other", "其他事项", paras(
            f"本公告自发布之日起在小区公告栏张贴，公示期为30日。物业服务中心客服电话：{c.property_phone}。")),
        signature_section((("建设单位（盖章）", c.developer), ("保险公司（盖章）", c.insurer)),
                          cn_date(months_before(ctx.start, 2))),
        repair_form_annex("附件　住宅质量缺陷报修登记表（样式）"),
    )
    return Document(f"关于{p.name}工程质量保修期转入保险责任期的公告", "业主公告", sections, numbering="list")


# =============================================================================================
# Construction, design and supply contracts; pack-specific articles are "extras"


def construction_contract(ctx: Ctx, extras: tuple[Section, ...] = ()) -> Document:
    c, p = ctx.cast, ctx.project
    start = ctx.milestone("construction_start", "2024-05-06")
    done = ctx.milestone("completion_accepted", "2025-12-31")
    sections = (
        party_section((("合同编号", "SG-2024-017"), ("发包人（甲方）", c.developer), ("承包人（乙方）", c.contractor),
                       ("工程名称", f"{p.name}施工总承包工程"), ("工程地点", c.address),
                       ("签约合同价", "人民币386,500,000元"), ("甲方联系电话", c.sales_phone)),
                      "根据《中华人民共和国民法典》《中华人民共和国建筑法》及有关法律规定，遵循平等、自愿、公平和诚实信用的原则，"
                      "甲乙双方就本工程施工及有关事项协商一致，订立本合同。"),
        Section("scope", "工程概况和承包范围", paras(
            f"工程名称：{p.name}；工程地点：{c.address}；工程内容：住宅楼12幢、地下车库及配套用房，总建筑面积约128,600平方米，"
            "结构形式为钢筋混凝土剪力墙结构。",
            "承包范围：施工图纸范围内的土建、安装、室内外装饰装修、室外总体及配套工程，具体以工程量清单和施工图纸为准。")),
        Section("schedule", "合同工期", paras(
            f"计划开工日期：{start}；计划竣工日期：{done}。工期总日历天数以实际开工之日起计算，因甲方原因或者不可抗力导致工期延误的，工期相应顺延。")),
        Section("standard", "质量标准", paras(
            "工程质量应当符合国家现行《建筑工程施工质量验收统一标准》及相关专业验收规范的合格标准，并确保通过分户验收和竣工验收。",
            "乙方应当按照施工图设计文件和施工技术标准施工，不得偷工减料；对隐蔽工程应当在隐蔽前通知甲方和监理单位验收。")),
        Section("price", "签约合同价和价格形式", paras(
            "签约合同价为人民币386,500,000元（大写：叁亿捌仟陆佰伍拾万元整）。本合同采用固定综合单价合同，"
            "风险范围以外的合同价格调整按照专用条款的约定执行。")),
        Section("payment", "工程款支付", paras(
            "工程款按月进度支付，每月支付经监理单位和甲方审核确认的已完工程量价款的75%；工程竣工验收合格后支付至合同价款的85%；"
            "结算审核完成后支付至结算总价的97%，剩余3%作为工程质量保证金。")),
        Section("retention", "工程质量保证金", paras(
            "工程质量保证金为结算总价的3%，缺陷责任期为24个月，自工程竣工验收合格之日起计算。",
            "缺陷责任期内，乙方应当对因其原因造成的缺陷承担维修责任；乙方不履行维修义务的，甲方可以委托第三方维修，所需费用从质量保证金中扣除。"
            "缺陷责任期满且乙方已履行缺陷修复义务的，甲方应当在28日内返还剩余质量保证金。")),
        Section("warranty", "工程质量保修", paras(
            "乙方应当在工程竣工验收前与甲方签订工程质量保修书，保修范围和最低保修期限按照《建设工程质量管理条例》的规定执行。",
            "保修期内发生质量问题的，乙方应当在接到甲方通知后48小时内派员维修；发生紧急抢修事故的，乙方应当立即到达现场抢修。")),
        Section("safety", "安全文明施工", paras(
            "乙方应当严格执行安全生产法律法规和本市文明施工的规定，建立健全安全生产责任制度，因乙方原因发生的安全事故由乙方承担责任。")),
        Section("insurance", "保险", paras(
            "甲方负责投保建筑工程一切险。乙方负责为施工现场人员办理工伤保险，并为从事危险作业的人员办理意外伤害保险，相关保险费用已包含在签约合同价中。")),
        *extras,
        Section("acceptance", "竣工验收和结算", paras(
            "工程具备竣工验收条件的，乙方应当向甲方提交竣工验收申请报告和完整的竣工资料，甲方应当在收到申请后28日内组织竣工验收。",
            "乙方应当在竣工验收合格后56日内提交竣工结算文件，甲方应当在收到之日起60日内完成审核。")),
        Section("breach", "违约责任", paras(
            "因乙方原因导致工期延误的，每延误1日，乙方应当向甲方支付签约合同价万分之三的违约金，违约金累计不超过签约合同价的3%。",
            "甲方未按照约定支付工程款的，应当按照中国人民银行同期贷款市场报价利率向乙方支付逾期付款利息。")),
        *closing_sections("甲方", "乙方", f"{c.arbitration}仲裁", "八份，甲方执五份，乙方执三份"),
        signature_section((("甲方（盖章）", c.developer), ("乙方（盖章）", c.contractor)), start),
        Section("annex", "附件一　承包人主要管理人员名单", (Table((
            ("岗位", "姓名", "执业资格证书编号"), ("项目经理", "李国强", "沪1312020201912345"),
            ("技术负责人", "王海涛", "高级工程师"), ("质量员", "赵敏", "质量员岗位证书"),
            ("安全员", "孙建华", "安全生产考核合格证书"), ("施工员", "钱立新", "施工员岗位证书")), header=True),
            Para("附件二　工程质量保修书（另行签订）　附件三　工程量清单（略）", style="plain")),
            numbered=False, new_page=True),
    )
    return Document("建设工程施工合同", f"建设工程施工合同（{p.name}）", sections)


def design_contract(ctx: Ctx, extras: tuple[Section, ...] = ()) -> Document:
    c, p = ctx.cast, ctx.project
    sections = (
        party_section((("合同编号", "SJ-2024-006"), ("发包人（甲方）", c.developer), ("设计人（乙方）", c.designer),
                       ("工程名称", p.name), ("设计阶段", "方案设计、初步设计、施工图设计"), ("设计费", "人民币6,850,000元")),
                      "根据《中华人民共和国民法典》《建设工程勘察设计管理条例》及有关规定，甲方委托乙方承担本工程的设计任务，"
                      "经双方协商一致，订立本合同。"),
        Section("scope", "工程概况和设计范围", paras(
            f"工程名称：{p.name}；建设地点：{c.address}；建设规模：住宅楼12幢及地下车库，总建筑面积约128,600平方米。",
            "设计范围：总平面、建筑、结构、给水排水、暖通、电气、智能化及景观的方案设计、初步设计和施工图设计，以及施工配合。")),
        Section("basis", "设计依据", paras(
            "甲方提供的设计任务书、规划设计条件、岩土工程勘察报告，以及国家和本市现行的设计规范、标准和规定。")),
        Section("period", "设计周期", paras(
            "乙方应当在收到甲方设计任务书和基础资料之日起45日内提交方案设计文件，方案批准后60日内提交施工图设计文件。",
            "双方确认，上述设计周期已为保险公司委托的风险管理机构开展设计质量风险管理预留了合理的工作时间。")),
        Section("fee", "设计费及支付", paras(
            "设计费为人民币6,850,000元。本合同签订后支付20%，方案设计批准后支付20%，施工图审查合格后支付40%，"
            "工程竣工验收合格后支付其余20%。")),
        Section("client-duty", "甲方责任", paras(
            "甲方应当按时提供设计所需的基础资料，并对资料的真实性和准确性负责；甲方要求变更设计任务的，应当以书面形式提出。")),
        Section("designer-duty", "乙方责任", paras(
            "乙方应当按照国家和本市的设计规范、标准进行设计，对设计文件的质量负责，并派员参加施工图交底和重要部位验收。",
            "乙方应当配合甲方将设计文件提交审查并上传监管平台，对风险管理机构检查报告中提出的设计质量风险及时回复并整改。")),
        Section("change", "设计变更", paras(
            "设计文件经审查合格后需要修改的，由乙方负责修改并重新送审；因甲方原因增加的设计工作量，设计费另行协商。")),
        Section("ip", "知识产权和保密", paras(
            "乙方交付的设计文件的著作权归乙方所有，甲方可以在本工程范围内使用；双方对履行本合同知悉的对方商业秘密负有保密义务。")),
        *extras,
        Section("breach", "违约责任", paras(
            "乙方逾期交付设计文件的，每逾期1日，应当按照设计费的千分之一支付违约金；因设计质量问题造成损失的，乙方应当负责修改设计并依法赔偿损失。")),
        *closing_sections("甲方", "乙方", f"{c.arbitration}仲裁", "六份，甲方执四份，乙方执二份"),
        signature_section((("甲方（盖章）", c.developer), ("乙方（盖章）", c.designer)), "2024年3月18日"),
        Section("annex", "附件　设计文件交付清单", (Table((
            ("序号", "设计文件", "交付份数", "交付时间"), ("1", "方案设计文本", "8", "合同签订后45日内"),
            ("2", "初步设计文件", "8", "方案批准后30日内"), ("3", "施工图设计文件", "12", "方案批准后60日内"),
            ("4", "结构计算书", "4", "随施工图"), ("5", "设计变更文件", "按需", "变更确定后7日内")), header=True),),
            numbered=False, new_page=True),
    )
    return Document("建设工程设计合同", f"建设工程设计合同（{p.name}）", sections)


def supply_contract(ctx: Ctx, extras: tuple[Section, ...] = ()) -> Document:
    c, p = ctx.cast, ctx.project
    sections = (
        party_section((("合同编号", "CG-2025-044"), ("买方（甲方）", c.developer), ("卖方（乙方）", c.supplier),
                       ("项目名称", p.name), ("标的物", "断桥隔热铝合金外窗及安装"), ("合同总价", "人民币12,460,000元")),
                      "根据《中华人民共和国民法典》及有关规定，甲乙双方就本项目外门窗的供货及安装事宜，经协商一致，订立本合同。"),
        Section("goods", "标的物", paras(
            "乙方供应的标的物为断桥隔热铝合金外窗及其配套五金件、密封胶条和中空玻璃，规格、型号、数量和单价见本合同附件供货清单。")),
        Section("quality", "质量标准", paras(
            "标的物应当符合国家现行标准《铝合金门窗》及设计文件的要求，气密性、水密性和抗风压性能应当满足设计要求，并提供产品合格证和型式检验报告。")),
        Section("delivery", "交货时间、地点和方式", paras(
            f"乙方应当按照甲方书面通知的批次，在通知送达之日起20日内将标的物运至{c.address}施工现场指定地点，运输费用由乙方承担。")),
        Section("inspection", "验收", paras(
            "标的物到场后，甲方会同监理单位按照批次进行外观和数量验收，并按照规定见证取样送检；检测不合格的，乙方应当在7日内更换。",
            "安装完成后，由甲方组织监理单位和施工单位进行分项工程验收，验收合格后办理交接手续。")),
        Section("price", "价款和支付", paras(
            "合同总价为人民币12,460,000元，包括标的物价款、运输、安装、检测和税费。到货验收合格后支付到货批次价款的60%，"
            "安装验收合格后支付至90%，其余10%在质量保证期满后无息支付。")),
        Section("warranty", "质量保证期", paras(
            "标的物的质量保证期为5年，自工程竣工验收合格之日起计算。质量保证期内出现渗漏、五金件损坏、玻璃自爆等质量问题的，"
            "乙方应当在接到通知后48小时内到场维修或者更换。")),
        Section("packing", "包装和标识", paras(
            "标的物应当采用防潮、防撞的包装，每樘外窗应当粘贴标识，注明生产企业、型号规格、生产日期和安装楼号、楼层及部位，因包装不当造成的损坏由乙方承担。")),
        Section("installation", "安装要求", paras(
            "乙方应当按照设计文件和安装规范组织安装，外窗与洞口之间的缝隙应当采用发泡剂填充并打胶密封，安装完成后应当进行淋水试验。",
            "乙方安装人员应当遵守施工现场的安全管理制度，服从总承包单位的统一协调，因乙方原因造成的安全事故由乙方承担责任。")),
        Section("service", "售后服务", paras(
            "乙方应当指定专人负责本项目售后服务，提供门窗使用和维护说明，并在交付后第一年内进行一次全面回访检查。")),
        *extras,
        Section("breach", "违约责任", paras(
            "乙方逾期交货的，每逾期1日，应当按照逾期交货部分价款的千分之三支付违约金；交付的标的物不符合约定质量的，甲方有权拒收并要求乙方赔偿损失。")),
        *closing_sections("甲方", "乙方", f"{c.arbitration}仲裁", "四份，甲乙双方各执二份"),
        signature_section((("甲方（盖章）", c.developer), ("乙方（盖章）", c.supplier)), "2025年6月10日"),
        Section("annex", "附件　供货清单", (Table((
            ("序号", "名称", "规格型号", "单位", "数量"), ("1", "断桥铝合金平开窗", "70系列 6+12A+6中空玻璃", "平方米", "9,860"),
            ("2", "断桥铝合金推拉窗", "80系列 5+9A+5中空玻璃", "平方米", "3,240"), ("3", "阳台门联窗", "70系列", "樘", "1,152"),
            ("4", "五金件", "执手、合页、锁点", "套", "6,480"), ("5", "密封胶条", "三元乙丙", "米", "52,000")), header=True),),
            numbered=False, new_page=True),
    )
    return Document("建设工程材料设备采购合同", f"材料设备采购合同（{p.name}）", sections)


def subrogation_article(subject: str, duty: str) -> Section:
    """Shanghai 第十六条: cooperation with the insurer's subrogation, for one kind of contract."""
    return Section("subrogation", "住宅工程质量潜在缺陷保险", paras(
        "本工程已投保住宅工程质量潜在缺陷保险，乙方应当配合保险公司委托的风险管理机构开展质量风险检查，并对检查发现的质量风险按要求整改。",
        f"因{subject}造成工程质量潜在缺陷，保险公司赔偿后依法向乙方行使代位追偿权的，{duty}", key="subrogation-duty"))


SUBROGATION = {
    "construction-contract": subrogation_article(
        "乙方施工原因", "乙方应当配合保险公司代位追偿，及时提供施工记录、隐蔽工程验收资料等相关材料，参加联合查勘和证据保全，并依法承担相应的赔偿责任。"),
    "design-contract": subrogation_article(
        "设计原因", "乙方应当协助保险公司代位求偿，提供设计文件、计算书及设计变更等资料，并配合开展责任认定。"),
    "supply-contract": subrogation_article(
        "乙方供应的材料设备质量原因", "乙方应当配合保险公司代位追偿，提供产品合格证、检测报告及供货记录等资料。"),
}


def guarantee_fund_article() -> Section:
    """Hangzhou 第二十条: the developer may deduct the fund it replenished from the retention money."""
    return Section("fund", "工程质量风险保障基金", paras(
        "本工程已投保杭州市住宅工程质量潜在缺陷保险，主承保公司按照规定计提工程质量风险保障基金（以下简称保障基金）。",
        "保障基金先行用于本工程维修、由甲方向保障基金专用账户补足的，双方约定：由建设单位补足的保障基金，属于施工单位责任的，"
        "甲方可以从工程质量保证金中扣除相应金额；质量保证金不足以扣除的，乙方应当在接到甲方书面通知之日起15日内补足。", key="fund-deduction"))


def idi_statement_article(ctx: Ctx) -> Section:
    """Jiaxing 三（四）: the construction contract states that the project carries IDI."""
    return Section("idi", "住宅工程质量潜在缺陷保险", paras(
        f"甲方已为本工程投保住宅工程质量潜在缺陷保险，保险人为{ctx.cast.insurer}。乙方应当配合保险公司委托的风险管理机构对工程实施全过程质量检查，"
        "对检查发现的质量缺陷按照要求及时整改，并提供相关工程技术资料。"))


# =============================================================================================
# Insurance contracts: one skeleton, pack-specific terms as data


@dataclass(frozen=True)
class PolicyTerms:
    title: str
    scope: tuple[Para, ...]
    periods: tuple[Para, ...]
    premium: str
    deductible: str
    coinsurance: str  # with {lead}, {second}, {third}
    single: str  # with {lead}
    claims: tuple[str, ...]
    attachments: str
    dispute: str
    emergency: str = ""
    report_dispute: str = ""
    risk_fee: str = "风险管理费用由保险人从保险费中列支。"


def policy_terms(ctx: Ctx) -> PolicyTerms:
    start = cn_date(ctx.start)
    return POLICY_TERMS[ctx.pack.id](start, ctx.cast)


def _hangzhou_terms(start: str, c: Cast) -> PolicyTerms:
    return PolicyTerms(
        title="杭州市住宅工程质量潜在缺陷保险合同",
        scope=(Para("本保险合同包括基本险和附加险。", key="tiers"),
               Para("基本险的保险范围：（一）地基基础和主体结构工程；（二）保温工程；（三）防水工程；"
                    "（四）全装修住宅工程埋设在墙体、地面内的电气网络管线和给排水管道等隐蔽工程。", key="scope-basic"),
               Para("附加险的保险范围：装修工程（包括全装修和非全装修，墙面、顶棚抹灰层工程等其他分项工程），电气管线、给排水管道、设备安装，"
                    "供热与供冷系统工程。", key="scope-additional")),
        periods=(Para(f"保险期限自本工程竣工验收合格后满两年之日起计算，即自{start}起。地基基础和主体结构工程的保险期限为10年；"
                      "保温工程的保险期限为5年；防水工程的保险期限为6年；全装修住宅工程埋设在墙体、地面内的电气网络管线和给排水管道等隐蔽工程的"
                      "保险期限为6年。", key="periods"),
                 Para("附加险（装修工程，电气管线、给排水管道、设备安装，供热与供冷系统工程）的保险期限为2年，自本工程竣工验收合格后满两年之日起计算。",
                      key="period-additional")),
        premium="保险费以本工程建筑安装工程总造价为计算基数，保险费率为1.2%。投保人应当在本合同成立之日起15日内一次性支付全部保险费。",
        deductible="本保险合同项下的基本险和附加险均不设免赔额。",
        coinsurance="本保险采用共保模式，共保体由主承保公司{lead}和从保公司{second}、{third}组成。各承保公司以共保协议的形式明确在本项目上的"
                    "承保份额、权利和义务，其中主承保公司{lead}的承保份额为60%，从保公司{second}、{third}的承保份额各为20%。",
        single="本保险由{lead}承保，保险人负责出具保险单、收取保险费、组织风险管理和理赔服务。",
        claims=("保险人应当按照下列标准提供理赔服务：理赔受理，保险人接到报案后2小时内受理并登记；现场查勘，受理后24小时内派员到达现场查勘；"
                "索赔核定，收到索赔申请及完整资料之日起5个工作日内作出核定，情形复杂的在30日内作出核定；理赔维修，与被保险人达成维修协议后7日内"
                "组织维修，维修完成后由被保险人验收确认。",),
        attachments="下列文件经投保人确认后作为本合同的附件，与本合同具有同等效力：（一）工程质量风险评估实施方案；（二）住宅质量保险告知书；"
                    "（三）保险理赔方案。",
        dispute=f"因履行本合同发生的争议，由当事人协商解决；协商不成的，提交{c.arbitration}仲裁。",
        risk_fee="风险管理费用由双方协商确定，参照不低于保险费的15%列支。")


def _beijing_terms(start: str, c: Cast) -> PolicyTerms:
    return PolicyTerms(
        title="北京市住宅工程质量潜在缺陷保险合同",
        scope=(Para("基本险的保险范围为地基基础和主体结构工程、保温和防水工程，包括整体或者局部倒塌，地基产生超出设计规范允许的不均匀沉降，"
                    "基础和主体结构部位出现影响结构安全的裂缝、变形、破损、断裂，围护结构的保温层破损、脱落，地下、屋面、厕浴间防水渗漏，"
                    "外墙（包括外窗与外墙交接处）渗漏。", key="scope-basic"),
               Para("投保人投保附加险，附加险的保险范围为建筑装饰装修工程、建筑给水排水及供暖工程和建筑电气工程，保险期间为2年，"
                    "保险责任开始时间与基本险相同。", key="additional-terms")),
        periods=(Para("地基基础和主体结构工程的保险期间为10年，保温和防水工程的保险期间为5年。", key="periods"),
                 Para(f"保险责任开始时间自本工程竣工验收合格2年之日起算，即自{start}零时起。", key="start")),
        premium="保险费以本工程建筑安装工程总造价为计算基数，保险费率为1.5%，投保人应当在本合同成立之日起15日内支付保险费。",
        deductible="投保地基基础和主体结构工程、保温和防水工程缺陷保险的不计免赔额；附加险的免赔额按照附加险条款的约定执行。",
        coinsurance="本保险采取共保模式。共保体由牵头保险公司{lead}和成员保险公司{second}、{third}组成，承保份额分别为50%、25%、25%。"
                    "牵头保险公司负责出具保险单、统一收取保险费并组织理赔服务，成员保险公司按照承保份额承担保险责任。",
        single="本保险由{lead}单独承保，不采取共保模式。",
        claims=("保险人按照下列标准提供理赔服务：",
                "（一）理赔受理：保险人接到报案后2小时内受理，并一次性告知被保险人索赔所需资料；",
                "（二）现场查勘：保险人应当在受理报案后2日内派员到达现场查勘；",
                "（三）索赔核定：保险人应当在收到索赔申请及完整资料之日起7日内作出核定，情形复杂的在30日内作出核定；",
                "（四）理赔维修：对属于保险责任的，保险人应当在与被保险人达成赔偿协议后10日内组织维修或者支付赔款。"),
        emergency="对于影响基本生活且属于保险责任范围内的索赔申请，保险人应当在收到索赔申请后24小时内先行组织维修，同时完成现场查勘。",
        attachments="工程质量风险评估实施方案、保险告知书、保险理赔应急预案经投保人确认后，作为本合同的附件。",
        report_dispute="保险人与投保人就工程质量风险评估报告中工程质量缺陷的认定存在争议的，双方同意共同委托具有相应资质的第三方检测鉴定机构"
                       "进行鉴定，鉴定结论作为认定依据，鉴定费用由责任方承担。",
        dispute=f"因履行本合同发生的争议，由当事人协商解决；协商不成的，提交{c.arbitration}仲裁。",
        risk_fee="风险管理费用不高于保险费的30%，由保险人从保险费中列支。")


def _jiaxing_terms(start: str, c: Cast) -> PolicyTerms:
    return PolicyTerms(
        title="住宅工程质量潜在缺陷保险合同",
        scope=(Para("保险责任范围包括：1.整体或局部倒塌；2.地基产生超过设计规范允许的不均匀沉降；3.阳台、雨篷、挑檐等悬挑构件和外墙面坍塌"
                    "或出现影响使用安全的裂缝、破损、断裂等现象；4.主体承重结构部位出现的裂缝、变形、破损、断裂等现象；5.屋面防水工程，地下室、"
                    "外墙面、门窗的防渗漏工程，有防水要求的卫生间、房间的渗漏；6.围护结构的保温工程出现影响使用安全的脱落、开裂、破损；"
                    "7.供热与供冷系统；8.电气管线、给排水管道、设备安装；9.装修工程。", key="scope-basic"),),
        periods=(Para("保险期限分别为：第1至4项（地基基础和主体结构）为10年，第5项（防水、防渗漏）为8年，第6项（保温工程）、第7项（供热与供冷系统）、"
                      "第8项（电气管线、给排水管道、设备安装）和第9项（装修工程）为2年。", key="periods"),
                 Para(f"保险期限自本工程通过竣工验收两年后开始算起，即自{start}起算。", key="start")),
        premium="保险费以建设工程结算建筑安装总造价为计算基数，保险费率为1.5%。",
        deductible="本保险不设免赔额。",
        coinsurance="", single="本保险由{lead}承保。",
        claims=("保险人接到报案后24小时内派员现场查勘，按照出险查勘和理赔保修流程组织维修，维修完成后由被保险人验收确认。",),
        attachments="本合同附件包括投保单、工程质量风险管理方案和出险查勘和理赔保修流程。",
        dispute=f"因履行本合同发生的争议，由当事人协商解决；协商不成的，提交{c.arbitration}仲裁。")


def _jiyuan_terms(start: str, c: Cast) -> PolicyTerms:
    return PolicyTerms(
        title="建设工程质量潜在缺陷保险合同",
        scope=(Para("基本险的保险范围：（一）地基基础工程和主体结构工程；（二）保温和防水工程。", key="scope-basic"),
               Para("投保人投保附加险，附加险的保险范围为装饰装修工程和电气管线、给排水管道、设备安装工程，保险期间为2年，"
                    "保险责任开始时间与基本险相同。", key="additional-terms")),
        periods=(Para("地基基础工程和主体结构工程的保险期限为10年，保温和防水工程的保险期限为5年。", key="periods"),
                 Para(f"保险责任开始时间经双方协商确定为本工程竣工验收备案满2年之日，即{start}零时起算。", key="start")),
        premium="保险费以本工程建筑安装工程造价为计算基数，承保费率为1.3%，投保人应当在本合同成立之日起15日内支付保险费。",
        deductible="基本险不设免赔额，附加险每次事故免赔额为人民币1,000元。",
        coinsurance="", single="本保险由{lead}承保。",
        claims=("保险人应当按照下列标准提供理赔服务：报案受理，接到报案后2小时内受理；现场查勘，受理后48小时内到达现场勘查；"
                "索赔核定，收到完整索赔资料之日起10个工作日内作出核定；维修和赔偿，达成赔偿协议后10日内组织维修或者支付赔偿金。",),
        attachments="本合同附件包括投保单、保险条款和建设单位与保险公司权利义务协议。",
        dispute="工程质量缺陷和保险责任认定发生争议的，以及因履行本合同发生的其他争议，由双方协商解决；协商不成的，"
                "依法向保险标的所在地有管辖权的人民法院提起诉讼。")


POLICY_TERMS: dict[str, Callable[[str, Cast], PolicyTerms]] = {
    "hangzhou-2024": _hangzhou_terms, "beijing-2019": _beijing_terms,
    "jiaxing-2018": _jiaxing_terms, "jiyuan-2022": _jiyuan_terms,
}


def _optional_section(key: str, title: str, text: str) -> tuple[Section, ...]:
    return (Section(key, title, paras(text, key=key)),) if text else ()


def insurance_contract(ctx: Ctx, coinsurance: bool = True) -> Document:
    c, p = ctx.cast, ctx.project
    t = policy_terms(ctx)
    lead, second, third = (c.insurers + ("", ""))[:3]
    shared = coinsurance and bool(t.coinsurance)
    sharing = (t.coinsurance if shared else t.single).format(lead=lead, second=second, third=third)
    insurer_row = "、".join(c.insurers) if shared else lead
    sections = (
        party_section((("保险单号", c.policy_no), ("投保人", c.developer), ("被保险人", "本工程房屋的所有权人及其合法继受人"),
                       ("保险人", insurer_row), ("工程名称", p.name), ("工程地址", c.address), ("总建筑面积", c.area),
                       ("保险金额", f"{c.insured_value}（以建筑安装工程总造价为准）"), ("客服电话", hotline(lead))),
                      "投保人向保险人提出投保申请，保险人同意承保。双方根据《中华人民共和国保险法》及有关规定，订立本保险合同。"),
        Section("parts", "合同构成", paras("本保险合同由保险条款、投保单、保险单、批单和特别约定组成，凡涉及本保险合同的约定，均应当采用书面形式。")),
        Section("subject", "保险标的", paras(f"本保险合同的保险标的为{p.name}施工许可证范围内的全部建筑物，具体见附件一承保建筑物清单。")),
        Section("scope", "保险责任", t.scope),
        Section("periods", "保险期限", t.periods),
        Section("exclusions", "责任免除", paras(
            "下列原因造成的损失、费用和责任，保险人不负责赔偿：（一）投保人、被保险人的故意行为；（二）战争、敌对行为、暴乱、恐怖活动；"
            "（三）地震、海啸、台风等自然灾害；（四）业主擅自改变房屋结构、用途或者不当装修；（五）正常使用磨损和自然老化；"
            "（六）被保险人未及时采取措施导致损失扩大的部分。")),
        Section("premium", "保险金额和保险费", paras(f"本保险合同的保险金额为本工程建筑安装工程总造价，即{c.insured_value}。", t.premium,
                                                    key="premium")),
        Section("deductible", "免赔额", paras(t.deductible, key="deductible")),
        Section("sharing", "承保方式", paras(sharing, key="sharing")),
        Section("risk", "风险管理", paras(
            "保险人应当委托风险管理机构对本工程实施质量风险管理，风险管理机构应当对工程建设各阶段进行检查并出具检查报告。", t.risk_fee)),
        Section("policyholder", "投保人义务", paras(
            "投保人应当如实告知本工程的建设规模、结构形式、参建单位和施工进度等情况，并按照约定向保险人提供施工图设计文件和相关资料。",
            "投保人应当配合风险管理机构开展质量风险检查，督促参建单位对检查发现的质量风险及时整改，并在分户验收、竣工验收前书面通知保险人。")),
        Section("insured", "被保险人义务", paras(
            "被保险人发现房屋存在质量缺陷的，应当及时通知保险人，并采取必要、合理的措施防止损失扩大；因未采取必要措施导致扩大的损失，由被保险人自行承担。",
            "被保险人应当配合保险人调查，提供与确认保险事故的性质、原因、损失程度等有关的证明和资料。")),
        Section("indemnity", "赔偿处理", paras(
            "保险人可以选择组织修复或者支付赔偿金的方式履行赔偿责任。保险人对每一保险事故的赔偿，以修复至原设计和施工标准所需的合理费用为限，"
            "累计赔偿金额以保险金额为限。",
            "保险人支付赔偿金后，保险金额相应减少；被保险人应当将已获赔偿部分的修复情况告知保险人。")),
        Section("adjustment", "保险金额调整", paras(
            "本工程竣工结算完成后，保险金额按照结算确定的建筑安装工程总造价调整，保险人出具批单，保险费按照原费率相应调整。")),
        Section("claims", "理赔服务标准", paras(*t.claims, key="claims")),
        *_optional_section("emergency", "先行维修", t.emergency),
        Section("subrogation", "代位追偿", paras(
            "保险人向被保险人赔偿后，在赔偿金额范围内代位行使被保险人对负有责任的设计、施工、材料设备供应等单位请求赔偿的权利，投保人和被保险人应当予以协助。")),
        Section("attachments", "合同附件", paras(t.attachments, key="attachments")),
        *_optional_section("report-dispute", "评估报告争议", t.report_dispute),
        Section("dispute", "争议处理", paras(t.dispute, key="dispute")),
        signature_section((("投保人（盖章）", c.developer), ("保险人（盖章）", lead)), ctx.milestone("policy_issued", "2024-04-15")),
        Section("annex", "附件一　承保建筑物清单", (Table((
            ("楼号", "用途", "地上层数", "地下层数", "建筑面积（平方米）"), *c.buildings), header=True),),
            numbered=False, new_page=True),
    )
    return Document(t.title, f"{t.title}（{p.name}）", sections)


# =============================================================================================
# Owner notices (保险告知书): one skeleton, pack-specific wording as data


@dataclass(frozen=True)
class NoticeTerms:
    title: str
    coverage_title: str
    coverage: tuple[Para, ...]
    contact_title: str
    contact: str
    duties_title: str
    duties: str


def _hangzhou_notice(ctx: Ctx) -> NoticeTerms:
    c, start = ctx.cast, cn_date(ctx.start)
    return NoticeTerms(
        title="住宅质量保险告知书",
        coverage_title="保险范围、保险期限和保险责任开始时间",
        coverage=(Para("保险范围：基本险包括地基基础和主体结构工程、保温工程、防水工程，以及全装修住宅工程埋设在墙体、地面内的电气网络管线和"
                       "给排水管道等隐蔽工程；附加险包括装修工程，电气管线、给排水管道、设备安装，供热与供冷系统工程。"),
                  Para("保险期限：地基基础和主体结构工程10年，保温工程5年，防水工程6年，隐蔽工程6年，附加险2年。"),
                  Para(f"保险责任开始时间：本项目于{ctx.milestone('completion_accepted', '2025-12-31')}竣工验收合格，"
                       f"保险期限自竣工验收合格后满两年之日即{start}起算。", key="start")),
        contact_title="负责保险理赔工作的单位及其联系方式",
        contact=f"负责本项目保险理赔工作的单位：{c.claims_unit}；理赔联系电话：{c.claims_phone}；全国客服电话：{hotline(c.insurer)}。",
        duties_title="业主的通知义务",
        duties="业主发现房屋存在质量缺陷的，应当及时通知保险人，并采取必要、合理的措施防止损失扩大；房屋所有权转让的，业主应当将本告知书交付受让人。")


def _beijing_notice(ctx: Ctx) -> NoticeTerms:
    c, start = ctx.cast, cn_date(ctx.start)
    return NoticeTerms(
        title="工程质量潜在缺陷保险告知书",
        coverage_title="保险范围、保险期间和保险责任开始时间",
        coverage=(Para("保险范围：地基基础和主体结构工程、保温和防水工程出现的工程质量潜在缺陷。"),
                  Para("保险期间：地基基础和主体结构工程的保险期间为10年，保温和防水工程的保险期间为5年。"),
                  Para(f"保险责任开始时间：自本工程竣工验收合格2年之日即{start}起算。", key="start")),
        contact_title="负责保险理赔工作的部门及其联系方式",
        contact=f"负责本项目保险理赔工作的部门：{c.claims_unit}；联系电话：{c.claims_phone}；全国客服电话：{hotline(c.insurer)}。",
        duties_title="业主变更通知义务",
        duties="业主转让房屋所有权或者变更联系方式的，应当自变更之日起30日内书面通知保险人，并将本告知书随房屋一并转交受让人。")


def _jiyuan_notice(ctx: Ctx) -> NoticeTerms:
    c, start = ctx.cast, cn_date(ctx.start)
    return NoticeTerms(
        title="建设工程质量潜在缺陷保险告知书",
        coverage_title="保险责任、保险范围和保险期限",
        coverage=(Para("保险责任：在保险期限内，因工程质量潜在缺陷导致本工程出现倒塌、不均匀沉降、主体承重结构裂缝或者保温层脱落、渗漏的，"
                       "由保险人负责组织维修或者赔偿。"),
                  Para("保险范围：地基基础工程和主体结构工程；保温和防水工程。"),
                  Para(f"保险期限：地基基础工程和主体结构工程10年，保温和防水工程5年，均自{start}起算。", key="periods")),
        contact_title="理赔联系方式",
        contact=f"理赔服务单位：{c.claims_unit}；报案电话：{c.claims_phone}；全国客服电话：{hotline(c.insurer)}。",
        duties_title="使用人的义务",
        duties="使用人应当按照设计用途合理使用房屋，发现质量缺陷的应当及时通知保险人，并采取必要措施防止损失扩大。")


NOTICE_TERMS: dict[str, Callable[[Ctx], NoticeTerms]] = {
    "hangzhou-2024": _hangzhou_notice, "beijing-2019": _beijing_notice, "jiyuan-2022": _jiyuan_notice,
}


def owner_notice(ctx: Ctx) -> Document:
    c, p = ctx.cast, ctx.project
    t = NOTICE_TERMS[ctx.pack.id](ctx)
    front = Section("front", body=(
        Para("尊敬的业主：", style="plain"),
        Para(f"您所购买（使用）的{p.name}房屋已由建设单位{c.developer}投保工程质量潜在缺陷保险，保险人为{c.insurer}。"
             "为保障您的合法权益，现将有关事项说明如下：")), numbered=False)
    sections = (
        front,
        Section("coverage", t.coverage_title, t.coverage),
        Section("process", "保险理赔流程", paras(
            "（一）报案：发现房屋存在质量缺陷的，可以拨打下列理赔联系电话报案，报案时请说明房屋坐落、缺陷部位及现象和联系人。",
            "（二）查勘：保险人在接到报案后2日内派员到现场查勘，业主应当为查勘提供便利。",
            "（三）核定：保险人在收到索赔申请及完整资料之日起7日内作出核定，情形复杂的在30日内作出核定，并将核定结果书面通知业主。",
            "（四）维修或者赔偿：属于保险责任的，保险人在达成赔偿协议后10日内组织维修或者支付赔偿金；不属于保险责任的，保险人出具不予赔偿通知书并说明理由。")),
        Section("contact", t.contact_title, paras(t.contact, key="contact")),
        Section("duties", t.duties_title, paras(t.duties)),
        Section("tips", "房屋使用与维护提示", paras(
            "请按照《住宅使用说明书》合理使用房屋，装修时不要拆改承重墙体、梁柱和楼板，不要破坏卫生间、厨房的防水层和外墙保温层。",
            "请定期检查屋面和阳台排水口、卫生间地漏是否通畅，雨季前检查外窗密封胶条，墙面、顶棚出现渗水痕迹的请尽早处理。",
            "房屋出现明显裂缝、墙面空鼓脱落或者门窗变形等情况的，请保留照片、视频等资料，并避免自行拆除或者修补缺陷部位。")),
        Section("exclusions", "责任免除", paras(
            "下列情形不属于保险责任：（一）擅自改变房屋结构、用途或者不当装修造成的损坏；（二）地震、台风等自然灾害造成的损失；"
            "（三）正常使用磨损和自然老化；（四）第三方责任造成的损坏。")),
        Section("other", "其他", paras("本告知书为保险合同的组成部分，业主可以向物业服务中心或者保险人索取保险条款全文。")),
        signature_section((("投保人（盖章）", c.developer), ("保险人（盖章）", c.insurer)),
                          ctx.milestone("delivery", "2026-01-20")),
        repair_form_annex("附件　质量缺陷报修登记表（样式）"),
    )
    return Document(t.title, f"{t.title}（{p.name}）", sections, numbering="list")


# =============================================================================================
# Families (a builder for one kind in one pack) and cases (a family's document plus edits)


@dataclass(frozen=True)
class Family:
    kind: str
    pack: str
    build: Callable[..., Document]


def _with_extras(builder: Callable[..., Document], extras_for: Callable[[Ctx], tuple[Section, ...]]):
    return lambda ctx, **opts: builder(ctx, extras_for(ctx), **opts)


FAMILIES = {
    "sh-presale": Family("sales-contract", "shanghai-2025", lambda ctx, **o: sales_contract(ctx, True, **o)),
    "sh-sale": Family("sales-contract", "shanghai-2025", lambda ctx, **o: sales_contract(ctx, False, **o)),
    "sh-warranty": Family("quality-warranty", "shanghai-2025", quality_warranty),
    "sh-announcement": Family("owner-announcement", "shanghai-2025", owner_announcement),
    "sh-construction": Family("construction-contract", "shanghai-2025",
                              _with_extras(construction_contract, lambda ctx: (SUBROGATION["construction-contract"],))),
    "sh-design": Family("design-contract", "shanghai-2025",
                        _with_extras(design_contract, lambda ctx: (SUBROGATION["design-contract"],))),
    "sh-supply": Family("supply-contract", "shanghai-2025",
                        _with_extras(supply_contract, lambda ctx: (SUBROGATION["supply-contract"],))),
    "hz-construction": Family("construction-contract", "hangzhou-2024",
                              _with_extras(construction_contract, lambda ctx: (guarantee_fund_article(),))),
    "hz-policy": Family("insurance-contract", "hangzhou-2024", insurance_contract),
    "hz-notice": Family("owner-notice", "hangzhou-2024", owner_notice),
    "bj-policy": Family("insurance-contract", "beijing-2019", insurance_contract),
    "bj-notice": Family("owner-notice", "beijing-2019", owner_notice),
    "jx-construction": Family("construction-contract", "jiaxing-2018",
                              _with_extras(construction_contract, lambda ctx: (idi_statement_article(ctx),))),
    "jx-policy": Family("insurance-contract", "jiaxing-2018", insurance_contract),
    "jy-policy": Family("insurance-contract", "jiyuan-2022", insurance_contract),
    "jy-notice": Family("owner-notice", "jiyuan-2022", owner_notice),
}


@dataclass(frozen=True)
class Case:
    name: str
    family: str
    description: str
    features: tuple[str, ...] = ("compliant",)
    edits: tuple = ()
    expected: dict[str, str] = field(default_factory=dict)  # clause id -> status; others pass
    options: dict = field(default_factory=dict)
    key_text: tuple[str, ...] = ()
    split: SplitAcrossPages | None = None


SH, HZ, BJ = CASTS["shanghai-2025"], CASTS["hangzhou-2024"], CASTS["beijing-2019"]
SH_INSURER, SH_HOTLINE = SH.insurer, "95500"
SPLIT_REPAIR = SplitAcrossPages(target="repair", first=SH.contractor, last=SH.repair_phone, filler="quality")


def _shanghai_cases() -> list[Case]:
    blank = "______"
    return [
        Case("sh-presale-compliant", "sh-presale", "预售合同，维修单位及电话、监督电话、保险公司全称及电话齐全",
             key_text=(SH_INSURER, SH.repair_phone)),
        Case("sh-sale-compliant", "sh-sale", "出售合同，承诺条款齐全", key_text=(SH_INSURER,)),
        Case("sh-warranty-compliant", "sh-warranty", "新建住宅质量保证书，潜在缺陷保险内容齐全", key_text=(SH_INSURER,)),
        Case("sh-presale-branch-insurer", "sh-presale", "保险公司写为持牌保险公司的上海分公司（分支机构，合规）",
             ("compliant", "branch-insurer"), (Replace(SH_INSURER, SH_INSURER + "上海分公司", "insurer"),),
             key_text=(SH_INSURER + "上海分公司",)),
        Case("sh-presale-page-split", "sh-presale", "维修单位条款跨页：单位名称在一页末尾，联系电话在下一页开头（合规）",
             ("compliant", "page-break-split"), key_text=(SH.contractor, SH.repair_phone), split=SPLIT_REPAIR),
        Case("sh-sale-kv-table", "sh-sale", "承诺事项以两栏表格（事项/内容）列出（合规）", ("compliant", "kv-table"),
             options={"layout": "table"}, key_text=("承诺事项", SH.repair_phone)),
        Case("sh-warranty-fullwidth", "sh-warranty", "电话号码使用全角数字（合规）", ("compliant", "fullwidth-digits"),
             tuple(Replace(n, fullwidth(n), "idi") for n in (SH.repair_phone, SH.supervision_phone, SH_HOTLINE)),
             key_text=(fullwidth(SH.repair_phone), fullwidth(SH_HOTLINE))),
        Case("sh-presale-no-repair-unit", "sh-presale", "缺少保险期限起算日之前负责维修的单位及电话", ("missing-element",),
             (Drop("repair"),), {"repair-unit": "fail"}),
        Case("sh-presale-repair-phone-blank", "sh-presale", "维修单位联系电话为空白下划线", ("blank-placeholder",),
             (Replace(SH.repair_phone, blank),), {"repair-unit": "fail"}, key_text=(blank,)),
        Case("sh-presale-distractor-phone", "sh-presale", "维修单位电话空白，紧随其后是销售中心和物业的电话（不能充作维修电话）",
             ("distractor-phone", "blank-placeholder"),
             (Replace(f"维修单位联系电话：{SH.repair_phone}。",
                      f"维修单位联系电话：{blank}（销售中心咨询电话：{SH.sales_phone}；物业服务中心客服电话：{SH.property_phone}）。"),),
             {"repair-unit": "fail"}, key_text=(blank, SH.property_phone)),
        Case("sh-presale-invalid-phone", "sh-presale", "维修单位联系电话位数不足（021-123）", ("invalid-phone",),
             (Replace(SH.repair_phone, "021-123"),), {"repair-unit": "fail"}, key_text=("021-123",)),
        Case("sh-sale-insurer-xx", "sh-sale", "保险公司名称写作“XX保险公司”占位", ("blank-placeholder",),
             (Replace(SH_INSURER, "XX保险公司", "insurer"),), {"insurer-contact": "fail"}, key_text=("XX保险公司",)),
        Case("sh-warranty-insurer-bracket", "sh-warranty", "保险公司名称和电话为空括号【    】", ("blank-placeholder",),
             (Replace(SH_INSURER, "【    】", "insurer"), Replace(SH_HOTLINE, "【    】", "insurer")),
             {"insurer-contact": "fail"}, key_text=("【】",)),
        Case("sh-sale-broker-insurer", "sh-sale", "保险期限内的“保险公司”写成保险经纪公司", ("broker-insurer",),
             (Replace(SH_INSURER, BROKER, "insurer"), Replace(SH_HOTLINE, "021-61359900", "insurer")),
             {"insurer-contact": "fail"}, key_text=(BROKER,)),
        Case("sh-warranty-insurer-phone-invalid", "sh-warranty", "保险公司联系电话只有4位（9550）", ("invalid-phone",),
             (Replace(f"联系电话：{SH_HOTLINE}", "联系电话：9550", "insurer"),), {"insurer-contact": "fail"}),
        Case("sh-warranty-no-supervision", "sh-warranty", "缺少建设单位监督电话", ("missing-element",),
             (Drop("supervision"), Drop("supervision-note")), {"supervision-phone": "fail"}),
        Case("sh-sale-supervision-empty", "sh-sale", "“建设单位监督电话：”后未填写号码", ("blank-placeholder",),
             (Replace(SH.supervision_phone, "", "supervision"),), {"supervision-phone": "fail"}),
        Case("sh-announcement-compliant", "sh-announcement", "转入保险责任期业主公告，要素齐全；附件报修登记表中的空白属于业主填写栏",
             ("compliant", "annex-form-blanks"), key_text=(SH_INSURER, SH_HOTLINE)),
        Case("sh-announcement-no-claims-process", "sh-announcement", "业主公告缺少理赔申请流程", ("missing-element",),
             (Drop("claims"),), {"announcement-claims-process": "fail"}),
        Case("sh-announcement-insurer-blank", "sh-announcement", "业主公告中保险公司名称为【    】、电话为空白", ("blank-placeholder",),
             (Replace(SH.claims_unit, "【    】"), Replace(SH_INSURER, "【    】"),
              Replace(f"联系电话：{SH_HOTLINE}", f"联系电话：{blank}"), Replace(SH.claims_phone, blank)),
             {"announcement-insurer": "fail"}, key_text=("【】",)),
        Case("sh-announcement-no-coverage", "sh-announcement", "业主公告缺少保险责任、范围和期限", ("missing-element",),
             (Drop("coverage"),), {"announcement-coverage": "fail"}),
        *_subrogation_cases(),
    ]


def _subrogation_cases() -> list[Case]:
    negated = "乙方不承担配合保险公司代位追偿的义务。"
    return [
        Case("sh-construction-subrogation", "sh-construction", "施工合同约定施工单位配合保险公司代位追偿", key_text=("代位追偿",)),
        Case("sh-construction-no-subrogation", "sh-construction", "施工合同没有配合代位追偿的条款（鼓励性条款缺失，提示）",
             ("missing-element", "recommended-absent"), (Drop("subrogation"),), {"subrogation-cooperation": "warn"}),
        Case("sh-construction-subrogation-negated", "sh-construction", "施工合同明确乙方不承担配合代位追偿的义务", ("negated",),
             (Rewrite("subrogation-duty", ("保险公司赔偿后向乙方行使代位追偿权的，" + negated,)),),
             {"subrogation-cooperation": "fail"}, key_text=(negated,)),
        Case("sh-design-subrogation", "sh-design", "设计合同约定设计单位协助保险公司代位求偿", key_text=("代位求偿",)),
        Case("sh-design-subrogation-refused", "sh-design", "设计合同约定乙方无需配合保险公司代位求偿（换一种说法的否定）", ("negated",),
             (Replace("乙方应当协助保险公司代位求偿，提供设计文件、计算书及设计变更等资料，并配合开展责任认定。",
                      "乙方无需配合保险公司的代位求偿，亦不负责提供相关资料。"),), {"subrogation-cooperation": "fail"},
             key_text=("无需配合",)),
        Case("sh-supply-subrogation", "sh-supply", "供货合同约定供应商配合保险公司代位追偿", key_text=("代位追偿",)),
        Case("sh-supply-subrogation-typo", "sh-supply", "“代位追偿”误写为“代位追尝”：疑似条款，应提示人工核对", ("typo",),
             (Replace("代位追偿", "代位追尝"),), {"subrogation-cooperation": "warn"}, key_text=("代位追尝",)),
        Case("sh-supply-no-subrogation", "sh-supply", "供货合同没有配合代位追偿的条款", ("missing-element", "recommended-absent"),
             (Drop("subrogation"),), {"subrogation-cooperation": "warn"}),
    ]


def _hangzhou_cases() -> list[Case]:
    lead, second, third = HZ.insurers
    return [
        Case("hz-construction-fund", "hz-construction", "施工合同约定建设单位补足的保障基金可从工程质量保证金中扣除", key_text=("保障基金",)),
        Case("hz-construction-no-fund", "hz-construction", "施工合同缺少保障基金扣除条款（质量保证金条款中的“扣除”不相关）",
             ("missing-element",), (Drop("fund"),), {"guarantee-fund-deduction": "fail"}),
        Case("hz-construction-fund-negated", "hz-construction", "施工合同约定保障基金不从工程质量保证金中扣除", ("negated",),
             (Replace("甲方可以从工程质量保证金中扣除相应金额；质量保证金不足以扣除的，乙方应当在接到甲方书面通知之日起15日内补足",
                      "该部分费用由甲方自行承担，不从工程质量保证金中扣除"),), {"guarantee-fund-deduction": "fail"}),
        Case("hz-policy-coinsurance", "hz-policy", "共保模式保险合同：主承保60%、两家从保各20%，基本险和附加险、一次性付费、不设免赔额、附件齐全",
             ("compliant", "coinsurance"), key_text=(lead, second, third)),
        Case("hz-policy-single", "hz-policy", "单一承保模式保险合同（共保份额条款不适用）", ("compliant", "single-insurer"),
             options={"coinsurance": False}, expected={"coinsurance-shares": "not-applicable"}, key_text=(lead,)),
        Case("hz-policy-deductible", "hz-policy", "基本险设置每次事故免赔额", ("wrong-value",),
             (Rewrite("deductible", ("基本险每次事故免赔额为人民币5,000元，附加险每次事故免赔额为人民币2,000元。",)),),
             {"no-deductible": "fail"}, key_text=("5,000",)),
        Case("hz-policy-periods-short", "hz-policy", "地基基础和主体结构工程保险期限仅8年（应为10年）", ("wrong-value",),
             (Replace("主体结构工程的保险期限为10年", "主体结构工程的保险期限为8年"),), {"coverage-periods": "fail"}),
        Case("hz-policy-attachments-missing", "hz-policy", "合同附件只列风险评估实施方案，缺告知书和理赔方案", ("missing-element",),
             (Replace("（一）工程质量风险评估实施方案；（二）住宅质量保险告知书；（三）保险理赔方案。", "工程质量风险评估实施方案。"),),
             {"contract-attachments": "fail"}),
        Case("hz-policy-shares-wrong", "hz-policy", "主承保公司承保份额40%（应不低于50%）", ("wrong-value", "coinsurance"),
             (Replace("承保份额为60%", "承保份额为40%"), Replace("承保份额各为20%", "承保份额各为30%")),
             {"coinsurance-shares": "fail"}, key_text=("40%",)),
        Case("hz-policy-installments", "hz-policy", "保险费分期支付", ("negated",),
             (Replace("一次性支付全部保险费", "分期支付保险费，首期支付40%，其余在主体结构封顶后支付"),), {"premium-lump-sum": "fail"}),
        Case("hz-policy-basic-only", "hz-policy", "只承保基本险、不含附加险（附加险的期限随之缺失）", ("negated", "missing-element"),
             (Rewrite("tiers", ("本保险合同仅承保基本险，不含附加险。",)), Drop("scope-additional"), Drop("period-additional"),
              Rewrite("deductible", ("本保险合同不设免赔额。",))),
             {"basic-and-additional": "fail", "coverage-periods": "fail"}),
        Case("hz-policy-no-claims-standards", "hz-policy", "缺少理赔受理、查勘、核定、维修的服务标准", ("missing-element",),
             (Rewrite("claims", ("理赔服务按照保险人的理赔操作规程执行。",)),), {"claims-service-standards": "fail"}),
        Case("hz-notice-compliant", "hz-notice", "住宅质量保险告知书，要素齐全", ("compliant", "annex-form-blanks"),
             key_text=(HZ.claims_phone,)),
        Case("hz-notice-contact-blank", "hz-notice", "理赔联系电话空白", ("blank-placeholder",),
             (Replace(HZ.claims_phone, "______", "contact"),), {"notice-claims-contact": "fail"}),
        Case("hz-notice-no-process-duties", "hz-notice", "缺少理赔流程和业主的通知义务", ("missing-element",),
             (Drop("process"), Drop("duties")), {"notice-claims-process": "fail", "notice-owner-duties": "fail"}),
        Case("hz-notice-no-start", "hz-notice", "未写保险责任开始时间（只有标题）", ("missing-element",),
             (Drop("start"),), {"notice-coverage": "fail"}),
    ]


def _beijing_cases() -> list[Case]:
    return [
        Case("bj-policy-compliant", "bj-policy", "共保体保险合同，期间、起算、不计免赔、附件、服务标准、先行维修、附加险和争议方式齐全",
             ("compliant", "coinsurance", "multi-item-article"), key_text=BJ.insurers),
        Case("bj-policy-additional-deductible", "bj-policy", "基本险不计免赔额，附加险约定每次事故免赔额（合规：免赔额只针对附加险）",
             ("compliant", "scoped-deductible"),
             (Replace("附加险的免赔额按照附加险条款的约定执行", "附加险每次事故免赔额为人民币2,000元"),), key_text=("2,000",)),
        Case("bj-policy-periods-short", "bj-policy", "保温和防水工程保险期间3年（应为5年）", ("wrong-value",),
             (Replace("保温和防水工程的保险期间为5年", "保温和防水工程的保险期间为3年"),), {"coverage-periods": "fail"}),
        Case("bj-policy-start-wrong", "bj-policy", "保险责任自竣工验收合格1年起算（应为2年）", ("wrong-value",),
             (Rewrite("start", ("保险责任开始时间自本工程竣工验收合格1年之日起算。",)),), {"liability-start": "fail"}),
        Case("bj-policy-deductible", "bj-policy", "基本险设每次事故免赔额，以较高者为准", ("negated",),
             (Rewrite("deductible", ("本保险每次事故免赔额为人民币10,000元或者核定损失金额的10%，以较高者为准。",)),), {"no-deductible": "fail"}),
        Case("bj-policy-single-insurer", "bj-policy", "由一家保险公司单独承保，不采取共保模式", ("negated", "single-insurer"),
             options={"coinsurance": False}, expected={"coinsurance-members": "fail"}, key_text=("单独承保",)),
        Case("bj-policy-attachments-missing", "bj-policy", "附件缺保险理赔应急预案", ("missing-element",),
             (Replace("、保险理赔应急预案", ""),), {"contract-attachments": "fail"}),
        Case("bj-policy-no-claims-standards", "bj-policy", "缺少理赔服务标准", ("missing-element",),
             (Rewrite("claims", ("理赔服务按照保险人的理赔操作规程执行。",)),), {"claims-service-standards": "fail"}),
        Case("bj-policy-no-emergency", "bj-policy", "缺少影响基本生活的索赔先行组织维修时限", ("missing-element",),
             (Drop("emergency"),), {"emergency-repair": "fail"}),
        Case("bj-policy-no-recommended", "bj-policy", "未约定附加险的范围和期间，未约定评估报告争议的解决方式（建议性条款，提示）",
             ("missing-element", "recommended-absent"), (Drop("additional-terms"), Drop("report-dispute")),
             {"additional-cover-terms": "warn", "report-dispute-method": "warn"}),
        Case("bj-notice-compliant", "bj-notice", "保险告知书，要素齐全", ("compliant", "annex-form-blanks"),
             key_text=(BJ.claims_phone,)),
        Case("bj-notice-contact-missing", "bj-notice", "理赔部门及联系方式“另行通知”", ("missing-element",),
             (Rewrite("contact", ("负责保险理赔工作的部门及其联系方式由保险人另行通知。",)),), {"notice-claims-contact": "fail"}),
        Case("bj-notice-no-process-duties", "bj-notice", "缺少理赔流程和业主变更通知义务", ("missing-element",),
             (Drop("process"), Drop("duties")), {"notice-claims-process": "fail", "notice-owner-duties": "fail"}),
        Case("bj-notice-no-start", "bj-notice", "未写保险责任开始时间", ("missing-element",), (Drop("start"),),
             {"notice-coverage": "fail"}),
    ]


def _small_pack_cases() -> list[Case]:
    return [
        Case("jx-construction-idi", "jx-construction", "施工合同写明已投保住宅工程质量潜在缺陷保险", key_text=("潜在缺陷保险",)),
        Case("jx-construction-no-idi", "jx-construction", "施工合同未写明潜在缺陷保险（只有建筑工程一切险、工伤保险）", ("missing-element",),
             (Drop("idi"),), {"contract-states-idi": "fail"}),
        Case("jx-policy-compliant", "jx-policy", "保险合同，九项保险期限和起算齐全", key_text=("10年", "8年")),
        Case("jx-policy-periods-wrong", "jx-policy", "第5项防水防渗漏保险期限写成5年（应为8年）", ("wrong-value",),
             (Replace("第5项（防水、防渗漏）为8年", "第5项（防水、防渗漏）为5年"),), {"coverage-periods": "fail"}),
        Case("jx-policy-start-wrong", "jx-policy", "保险期限自竣工验收之日起算（应为两年后）", ("wrong-value",),
             (Rewrite("start", ("保险期限自本工程通过竣工验收之日起算。",)),), {"liability-start": "fail"}),
        Case("jy-policy-compliant", "jy-policy", "保险合同，期限、起算、服务标准、争议方式、附加险齐全", key_text=("人民法院",)),
        Case("jy-policy-periods-short", "jy-policy", "地基基础和主体结构保险期限8年（应不少于10年）", ("wrong-value",),
             (Replace("主体结构工程的保险期限为10年", "主体结构工程的保险期限为8年"),), {"coverage-periods": "fail"}),
        Case("jy-policy-no-start", "jy-policy", "保险责任开始时间“以保险单载明为准”，未约定与竣工验收备案的关系", ("missing-element",),
             (Rewrite("start", ("保险责任开始时间以保险单载明的日期为准。",)),), {"liability-start": "fail"}),
        Case("jy-policy-no-claims-standards", "jy-policy", "缺少理赔服务标准", ("missing-element",),
             (Rewrite("claims", ("理赔服务标准由保险人另行制定。",)),), {"claims-service-standards": "fail"}),
        Case("jy-policy-dispute-negotiation-only", "jy-policy", "争议只约定协商解决，未选择仲裁或诉讼", ("missing-element",),
             (Rewrite("dispute", ("工程质量缺陷和保险责任认定发生争议的，由双方友好协商解决。",)),), {"dispute-resolution": "fail"}),
        Case("jy-policy-no-additional", "jy-policy", "未约定附加险的范围、期间和开始时间（建议性条款，提示）",
             ("missing-element", "recommended-absent"), (Drop("additional-terms"),),
             {"additional-cover-terms": "warn"}),
        Case("jy-notice-compliant", "jy-notice", "保险告知书，责任、范围、期限和理赔流程齐全", ("compliant", "annex-form-blanks")),
        Case("jy-notice-no-process", "jy-notice", "缺少理赔申请流程", ("missing-element",), (Drop("process"),),
             {"notice-claims-process": "fail"}),
        Case("jy-notice-no-periods", "jy-notice", "未写各范围的保险期限（只剩标题）", ("missing-element",), (Drop("periods"),),
             {"notice-coverage": "fail"}),
    ]


def all_cases() -> list[Case]:
    return [*_shanghai_cases(), *_hangzhou_cases(), *_beijing_cases(), *_small_pack_cases()]


# =============================================================================================
# Building a case: document, expectations


def packs_by_id() -> dict[str, Pack]:
    return {p.id: p for p in all_packs()}


def context(pack: Pack) -> Ctx:
    return Ctx(pack, load_project(pack), CASTS[pack.id])


def build_document(case: Case, ctx: Ctx) -> Document:
    doc = FAMILIES[case.family].build(ctx, **case.options)
    for edit in case.edits:
        doc = edit.apply(doc)
    if case.split is not None:
        doc = case.split.apply(doc)
    return doc


def expected_statuses(case: Case, pack: Pack) -> dict[str, str]:
    kind = FAMILIES[case.family].kind
    applicable = {c.id for c in pack.clauses_for(kind)}
    unknown = set(case.expected) - applicable
    if unknown:
        raise ValueError(f"{case.name}：{sorted(unknown)} 不是 {pack.id} 中适用于 {kind} 的条款要求")
    bad = {s for s in case.expected.values() if s not in STATUSES}
    if bad:
        raise ValueError(f"{case.name}：未知的预期结论 {bad}")
    return {f"{pack.id}/{cid}": case.expected.get(cid, "pass") for cid in sorted(applicable)}


def check_cast() -> None:
    """The samples must agree with the insurer registry: insurers licensed, the broker a broker."""
    registry = load_insurers()
    for pack_id, cast in CASTS.items():
        for name in cast.insurers:
            if registry.identify(name).kind != "insurer":
                raise ValueError(f"{pack_id}：“{name}”不是保险机构名录中的保险公司")
    if registry.identify(BROKER).kind != "broker":
        raise ValueError(f"“{BROKER}”应被识别为保险经纪机构")


# =============================================================================================
# DOCX rendering


BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"


def render_docx(doc: Document, path: Path) -> None:
    import docx
    from docx.shared import Cm

    d = docx.Document()
    _set_language_defaults(d)
    section = d.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.17)
    section.header_distance = section.footer_distance = Cm(1.5)
    _write_header_footer(section, doc.header)
    d.core_properties.title = doc.title
    d.core_properties.language = "zh-CN"
    d.core_properties.author = "idi make_samples"
    _add_paragraph(d, doc.title, "title")
    titles = headings(doc)
    for s in doc.sections:
        new_page = s.new_page
        if s.key in titles:
            _add_paragraph(d, titles[s.key], "heading", page_break_before=new_page)
            new_page = False
        for block in s.body:
            if isinstance(block, Table):
                _add_table(d, block)
            else:
                _add_paragraph(d, block.text, block.style, page_break_before=new_page)
            new_page = False
    d.save(str(path))


def _set_language_defaults(d) -> None:
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    rpr = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia"):
        lang.set(qn(attr), "zh-CN")
    normal = d.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


_STYLES = {  # style -> (size pt, bold, alignment, first-line indent in chars, line pitch pt, font)
    "title": (16, True, "center", 0, 32, HEADING_FONT),
    "heading": (12, True, "left", 0, 20, BODY_FONT),
    "body": (12, False, "justify", BODY_INDENT, 20, BODY_FONT),
    "plain": (12, False, "left", 0, 20, BODY_FONT),
    "center": (12, False, "center", 0, 20, BODY_FONT),
    "right": (12, False, "right", 0, 20, BODY_FONT),
    "cell": (10.5, False, "left", 0, 18, BODY_FONT),
    "header": (9, False, "center", 0, 12, BODY_FONT),
}


def _format_paragraph(p, style: str, page_break_before: bool = False) -> None:
    from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
    from docx.shared import Pt

    size, _, align, indent, pitch, _ = _STYLES[style]
    f = p.paragraph_format
    f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    f.line_spacing = Pt(pitch)
    f.space_before = f.space_after = Pt(0)
    f.widow_control = False
    f.first_line_indent = Pt(size * indent) if indent else None
    f.alignment = getattr(WD_PARAGRAPH_ALIGNMENT, align.upper())
    f.page_break_before = page_break_before or None
    f.keep_with_next = style in ("heading", "title") or None


def _add_run(p, text: str, style: str):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    size, bold, _, _, _, east_asian = _STYLES[style]
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.name = LATIN_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    return run


def _add_paragraph(d, text: str, style: str, page_break_before: bool = False):
    p = d.add_paragraph()
    _format_paragraph(p, style, page_break_before)
    _add_run(p, text, style)
    return p


def _add_table(d, table: Table) -> None:
    from docx.shared import Cm

    columns = len(table.rows[0])
    t = d.add_table(rows=len(table.rows), cols=columns)
    t.style = "Table Grid"
    widths = [Cm(4.4), Cm(10.2)] if columns == 2 else [Cm(14.6 / columns)] * columns
    t.autofit = False
    for column, width in zip(t.columns, widths):
        column.width = width
    for r, row in enumerate(table.rows):
        for cell, text, width in zip(t.rows[r].cells, row, widths):
            cell.width = width
            p = cell.paragraphs[0]
            _format_paragraph(p, "cell")
            run = _add_run(p, text, "cell")
            run.font.bold = (table.header and r == 0) or None


def _write_header_footer(section, header: str) -> None:
    from docx.oxml import parse_xml

    head = section.header.paragraphs[0]
    _format_paragraph(head, "header")
    _add_run(head, header, "header")
    foot = section.footer.paragraphs[0]
    _format_paragraph(foot, "header")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for text, instr in (("第 ", "PAGE"), (" 页　共 ", "NUMPAGES"), (" 页", None)):
        _add_run(foot, text, "header")
        if instr:
            foot._p.append(parse_xml(f'<w:fldSimple {ns} w:instr="{instr}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


# =============================================================================================
# PDF: one LibreOffice call for all documents, then checks with pypdfium2


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx_files: list[Path], pdf_dir: Path, timeout: int = SOFFICE_TIMEOUT) -> None:
    """Convert all files with one headless LibreOffice process using a private, throw-away profile."""
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("未找到 LibreOffice（soffice），无法生成 PDF")
    pdf_dir.mkdir(parents=True, exist_ok=True)
    for f in docx_files:
        (pdf_dir / f"{f.stem}.pdf").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="idi-soffice-") as profile:
        cmd = [soffice, "--headless", "--norestore", f"-env:UserInstallation={Path(profile).as_uri()}",
               "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, docx_files)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RuntimeError(f"LibreOffice 转换超时（{timeout} 秒）") from None
    missing = [f.name for f in docx_files if not (pdf_dir / f"{f.stem}.pdf").exists()]
    if proc.returncode != 0 or missing:
        detail = err.decode("utf-8", "replace").strip()[-500:]
        raise RuntimeError(f"LibreOffice 转换失败（退出码 {proc.returncode}），未生成：{missing[:5]}；{detail}")


def squeeze(text: str) -> str:
    """Text without any whitespace, for searching extracted PDF text."""
    return "".join(text.split())


def pdf_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [squeeze(page.get_textpage().get_text_range()) for page in pdf]
    finally:
        pdf.close()


def split_pages(pages: list[str], first: str, last: str) -> tuple[int | None, int | None]:
    """1-based pages where `first` and `last` occur (None if not found on a single page)."""
    def find(marker: str) -> int | None:
        return next((i + 1 for i, text in enumerate(pages) if squeeze(marker) in text), None)
    return find(first), find(last)


# =============================================================================================
# The sample set


def build_samples(out_dir: Path, pdf: bool = True) -> Path:
    """Write every sample as DOCX (and PDF when LibreOffice is available); return the manifest path."""
    out_dir = Path(out_dir)
    docx_dir, pdf_dir = out_dir / "docx", out_dir / "pdf"
    docx_dir.mkdir(parents=True, exist_ok=True)
    check_cast()
    packs = packs_by_id()
    contexts = {pack_id: context(pack) for pack_id, pack in packs.items() if pack_id in CASTS}
    cases, entries, files = all_cases(), [], []
    for case in cases:
        family = FAMILIES[case.family]
        ctx = contexts[family.pack]
        doc = build_document(case, ctx)
        path = docx_dir / f"{case.name}.docx"
        render_docx(doc, path)
        files.append(path)
        entries.append(_manifest_entry(case, family, ctx, doc))
    _check_names(entries)
    with_pdf = pdf and soffice_path() is not None
    if with_pdf:
        convert_to_pdf(files, pdf_dir)
        for entry, case in zip(entries, cases):
            _add_pdf_facts(entry, case, pdf_dir)
    manifest = out_dir / "manifest.yaml"
    manifest.write_text(_manifest_text(entries, with_pdf), encoding="utf-8")
    return manifest


def _manifest_entry(case: Case, family: Family, ctx: Ctx, doc: Document) -> dict:
    text = squeeze(document_text(doc))
    key_text = [doc.title, *case.key_text]
    for item in key_text:
        if squeeze(item) not in text:
            raise ValueError(f"{case.name}：关键文字“{item}”不在文书中")
    entry = {
        "name": case.name, "title": doc.title, "kind": family.kind, "jurisdiction": ctx.pack.id,
        "project": ctx.project.path, "description": case.description,
        "docx": f"docx/{case.name}.docx", "features": list(case.features),
        "key_text": key_text, "expected": expected_statuses(case, ctx.pack),
    }
    if case.split:
        entry["split"] = {"first": case.split.first, "last": case.split.last}
    return entry


def _check_names(entries: list[dict]) -> None:
    names = [e["name"] for e in entries]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"样本名称重复：{sorted(duplicates)}")


def _add_pdf_facts(entry: dict, case: Case, pdf_dir: Path) -> None:
    path = pdf_dir / f"{case.name}.pdf"
    pages = pdf_pages(path)
    entry["pdf"] = f"pdf/{case.name}.pdf"
    entry["pages"] = len(pages)
    if case.split:
        first, last = split_pages(pages, case.split.first, case.split.last)
        if first is None or last != first + 1:
            raise RuntimeError(f"{case.name}：PDF 中“{case.split.first}”在第 {first} 页、“{case.split.last}”在第 {last} 页，"
                               "条款未按预期跨页；请调整 SplitAcrossPages 的填充条款或版式参数")
        entry["split"]["pages"] = [first, last]


def _manifest_text(entries: list[dict], with_pdf: bool) -> str:
    head = ("# 样本文书清单（scripts/make_samples.py 生成，请勿手工修改）。\n"
            "# expected：该文书种类适用的每一条款要求（<规则包>/<条款 id>）的预期结论：pass | fail | warn | not-applicable。\n")
    body = {"generator": "scripts/make_samples.py", "pdf": with_pdf, "statuses": list(STATUSES),
            "count": len(entries), "samples": entries}
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=120)


def summary(manifest: Path, seconds: float) -> str:
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    samples = data["samples"]
    by_pack: dict[str, int] = {}
    for s in samples:
        by_pack[s["jurisdiction"]] = by_pack.get(s["jurisdiction"], 0) + 1
    statuses: dict[str, int] = {}
    for s in samples:
        for status in s["expected"].values():
            statuses[status] = statuses.get(status, 0) + 1
    out = manifest.parent
    lines = [f"已生成 {len(samples)} 份样本文书（用时 {seconds:.1f} 秒）：",
             f"  DOCX：{out / 'docx'}",
             f"  PDF：{out / 'pdf' if data['pdf'] else '未生成（未安装 LibreOffice 或使用了 --no-pdf）'}",
             f"  清单：{manifest}",
             "  按规则包：" + "，".join(f"{k} {v} 份" for k, v in sorted(by_pack.items())),
             "  预期结论：" + "，".join(f"{k} {statuses.get(k, 0)} 项" for k in STATUSES)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成住宅工程质量潜在缺陷保险相关合同的样本文书（DOCX/PDF）及清单")
    parser.add_argument("out_dir", type=Path, help="输出目录")
    parser.add_argument("--no-pdf", action="store_true", help="只生成 DOCX，不调用 LibreOffice")
    args = parser.parse_args(argv)
    began = time.monotonic()
    try:
        manifest = build_samples(args.out_dir, pdf=not args.no_pdf)
    except (RuntimeError, ValueError, OSError) as exc:
        print(f"生成失败：{exc}", file=sys.stderr)
        return 1
    print(summary(manifest, time.monotonic() - began))
    return 0


if __name__ == "__main__":
    sys.exit(main())
