"""Values a clause must carry: phone numbers, organisation names, periods, dates, percentages, money.

All functions work on normalised text (NFKC digits, full-width Chinese punctuation) and return
offsets into the text they were given, so a finding can quote where a value was read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

# --- blanks -------------------------------------------------------------------------------
# What a template leaves where a value should be: underscores, empty brackets, XX/某某 fillers.
BLANK = re.compile(r"_{2,}|＿{2,}|【[\s_]*】|\[[\s_]*\]|（[\s_]*）|\([\s_]*\)|[Xx×＊*]{2,}|某某|…{1,}|\.{3,}")
_VALUE_LEAD = re.compile(r"[ \t\u3000：:]*(?:为|是|系)?[ \t\u3000：:]*")
# Where the text after a cue ends: a sentence or fragment end, or the start of another label.
FRAGMENT_END = re.compile(r"[。；;\n]")
_SEPARATORS = "，。；;、\n（）()【】：:"


@dataclass(frozen=True)
class Value:
    kind: str
    text: str
    start: int
    end: int
    problem: str | None = None  # set when the value is present but unusable (invalid, placeholder)
    number: Decimal | None = None  # phones: None; periods: in the unit below; percent: the number
    unit: str | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None


def blank_after(text: str, pos: int) -> str | None:
    """The placeholder that fills the slot starting at `pos`, or "" when the slot is empty.

    None means there is real content at `pos`.
    """
    lead = _VALUE_LEAD.match(text, pos)
    rest = lead.end() if lead else pos
    blank = BLANK.match(text, rest)
    if blank:
        return blank.group()
    labelled = rest > pos  # “电话：” or “电话为” announces a value; “负责维修，” does not
    if labelled and (rest >= len(text) or text[rest] in "，。；;\n、"):
        return ""
    return None


# --- phones -------------------------------------------------------------------------------
_PHONE_RUN = re.compile(r"(?<![\d.])(?:\+?86[-\s]?)?[(（]?\d[\d\-－—–\s()（）]{1,18}\d(?:转\d{1,6})?(?![\d.%年月日])")
_PHONE_FORMS = (
    ("mobile", re.compile(r"1[3-9]\d{9}")),
    ("landline", re.compile(r"0\d{2,3}[2-9]\d{6,7}")),
    ("service", re.compile(r"[48]00\d{7}")),
    ("hotline", re.compile(r"95\d{3}|95\d{5}|96\d{3}|12345|12315")),
)


def phone_problem(raw: str) -> str | None:
    """Why `raw` is not a usable Chinese phone number, or None when it is one."""
    digits = re.sub(r"\D", "", raw.split("转")[0])
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    for _, form in _PHONE_FORMS:
        if form.fullmatch(digits):
            return None
    if re.fullmatch(r"[2-9]\d{6,7}", digits):
        return f"“{raw}”缺少区号"
    return f"“{raw}”不是有效的电话号码（位数或号段不符）"


def phones(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    """Every phone-like number in text[start:end], valid or not (dates and amounts excluded)."""
    found = []
    for match in _PHONE_RUN.finditer(text, start, len(text) if end is None else end):
        raw = match.group().strip(" -－—–(（)）")
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 5 and not re.search(r"[-－—–]", raw):
            continue  # a bare short number is a count or an article number, not a phone
        found.append(Value("phone", raw, match.start(), match.end(), phone_problem(raw)))
    return found


# --- organisations --------------------------------------------------------------------------
_ORG_SUFFIX = (r"(?:股份有限公司|有限责任公司|有限公司|集团公司|分公司|支公司|营业部|公司|集团|"
               r"研究院|设计院|事务所|服务中心|理赔中心|客服中心|中心|管理处|办公室|项目部|部)")
_ORG = re.compile(r"[\u4e00-\u9fffA-Za-z0-9&＆·（）()\[\]【】_＿Xx×*＊]{2,40}?" + _ORG_SUFFIX + r"(?:[\u4e00-\u9fff]{0,8}?(?:分公司|支公司|营业部))?")
_ORG_TAIL = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团公司|分公司|公司)")
_ORG_LEAD = re.compile(r"^(?:由|为|是|系|即|请|向|经|和|与|及|或|的|：|:)+")
_ORG_SEPARATOR = re.compile(r".*[，。；、：:的]")  # names do not contain 的: “负责维修的单位”
_ORG_LEAD_WORD = re.compile(r".*?(?:为|由|是|系)(?=.{4})")
# Role words that end like a name but name no one: 主承保公司, 维修单位, 本公司 …
_GENERIC_NAME = re.compile(
    r"(?:主承保|从保|成员|牵头|承保|保险|维修|保修|施工|设计|建设|物业|开发|甲方|乙方|本|该|贵|上述|其他|各|"
    r"负责|理赔|服务|客服|有限|股份|责任|项目|工程|质量)*(?:公司|单位|集团|中心|部|分公司|支公司)")


def organisations(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    """Organisation names in text[start:end]; placeholders (XX公司, 【  】公司) carry a problem."""
    found = []
    end = len(text) if end is None else end
    for match in _ORG.finditer(text, start, end):
        tail = _ORG_TAIL.match(text, match.end(), end)  # 上海建工七建集团 + 有限公司
        name, offset = _trim_org(match.group() + (tail.group() if tail else ""))
        span_end = tail.end() if tail else match.end()
        if _GENERIC_NAME.fullmatch(name) or len(name) < 3 or name.endswith(("的部", "全部", "内部", "外部")):
            continue
        problem = f"“{name}”是占位符，未填写真实名称" if BLANK.search(name) else None
        found.append(Value("organisation", name, match.start() + offset, span_end, problem))
    return found


def _trim_org(name: str) -> tuple[str, int]:
    """Drop lead words a greedy match swallowed (由…, 为…) and text before the last separator."""
    offset = 0
    for cut in (_ORG_SEPARATOR, _ORG_LEAD_WORD):
        found = cut.match(name, offset)
        offset = found.end() if found else offset
    lead = _ORG_LEAD.match(name[offset:])
    if lead:
        offset += lead.end()
    return name[offset:], offset


# --- numbers with units -----------------------------------------------------------------------
_NUMERAL = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+)"
_DURATION = re.compile(rf"({_NUMERAL})\s*(个工作日|工作日|个自然日|自然日|个月|周年|年|月|日|天|小时)")
_PERCENT = re.compile(rf"(\d+(?:\.\d+)?)\s*[%％]|百分之({_NUMERAL})")
_MONEY = re.compile(rf"({_NUMERAL}|\d{{1,3}}(?:[,，]\d{{3}})+(?:\.\d+)?)\s*(亿元|万元|元)")
_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})")
_RELATIVE_START = re.compile(
    r"(?:自|从|于)[^。；\n]{0,30}?(?:竣工|验收|备案|交付|签发|起算日)[^。；\n]{0,20}?(?:之日|后|起|开始|算起)")
_UNITS = {"个工作日": "working_days", "工作日": "working_days", "个自然日": "calendar_days",
          "自然日": "calendar_days", "日": "calendar_days", "天": "calendar_days", "个月": "months",
          "月": "months", "年": "years", "周年": "years", "小时": "hours"}


def number(numeral: str) -> Decimal:
    """A numeral in digits or Chinese (十, 两, 二十五) as a Decimal."""
    if re.fullmatch(r"\d+(?:\.\d+)?", numeral):
        return Decimal(numeral)
    return Decimal(str(cn2an.cn2an(numeral.replace("两", "二").replace("〇", "零"), "smart")))


def durations(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    found = []
    for match in _DURATION.finditer(text, start, len(text) if end is None else end):
        try:
            value = number(match.group(1))
        except (ValueError, KeyError):
            continue
        found.append(Value("period", match.group(), match.start(), match.end(),
                           number=value, unit=_UNITS[match.group(2)]))
    return found


def percents(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    found = []
    for match in _PERCENT.finditer(text, start, len(text) if end is None else end):
        try:
            value = number(match.group(1) or match.group(2))
        except (ValueError, KeyError):
            continue
        found.append(Value("percent", match.group(), match.start(), match.end(), number=value, unit="percent"))
    return found


def money(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    scale = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
    found = []
    for match in _MONEY.finditer(text, start, len(text) if end is None else end):
        try:
            value = number(re.sub("[,，]", "", match.group(1))) * scale[match.group(2)]
        except (ValueError, KeyError):
            continue
        found.append(Value("money", match.group(), match.start(), match.end(), number=value, unit="yuan"))
    return found


def dates(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    """Calendar dates, and start rules such as “自竣工验收合格满两年之日起”."""
    end = len(text) if end is None else end
    found = [Value("date", m.group(), m.start(), m.end()) for m in _DATE.finditer(text, start, end)]
    found += [Value("date", m.group(), m.start(), m.end()) for m in _RELATIVE_START.finditer(text, start, end)]
    return sorted(found, key=lambda v: v.start)


def texts(text: str, start: int = 0, end: int | None = None) -> list[Value]:
    """Free text: whatever fills a fragment, as one value."""
    end = len(text) if end is None else end
    stop = FRAGMENT_END.search(text, start, end)
    chunk_end = stop.start() if stop else end
    chunk = text[start:chunk_end].strip(" ：:，")
    if not chunk:
        return []
    problem = "内容为空白占位符" if BLANK.fullmatch(chunk) else None
    return [Value("text", chunk, start, chunk_end, problem)]


EXTRACTORS = {
    "phone": phones,
    "organisation": organisations,
    "insurer": organisations,
    "period": durations,
    "percent": percents,
    "money": money,
    "date": dates,
    "text": texts,
}
