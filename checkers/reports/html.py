"""HTML report: one self-contained page (inline CSS and JS, nothing fetched), Chinese UI.

A summary of the batch; a table per rule (click one to filter); a table per file; then every file
with its findings: verdict, message, citation, the regulation's words and the evidence quoted with
the matched words marked. Filters by verdict, rule, document kind and city, and a text search,
work offline. Every piece of document text is HTML-escaped.
"""
from __future__ import annotations

import html
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from corpus.packs import all_packs

from ..batch import BatchStats
from . import AssembledReport
from .common import (FILE_STATUSES, LEVEL_TEXT, REPORT_TITLE, STATUS_TEXT, FileRow, RuleTally, highlight_spans,
                     highlight_terms, jurisdiction_text, kind_text, where)


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


class HtmlReport(AssembledReport):
    def assemble(self, target: Path, stats: BatchStats) -> None:
        rows = self.spool.sorted_rows()
        rules = self.spool.sorted_rules()
        with open(target, "w", encoding="utf-8") as out:
            out.write(_head())
            out.write(_summary(stats))
            out.write(_filters(rows, rules))
            out.write(_rule_table(rules))
            out.write(_file_table(rows))
            out.write('<section id="details"><h2>逐个文件的检查详情</h2>\n')
            for number, (row, doc) in enumerate(self.spool.replay(), start=1):
                out.write(_document(number, row, doc))
            out.write(f"</section>\n<script>{_SCRIPT}</script>\n</body>\n</html>\n")


def _head() -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(REPORT_TITLE)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n")


def _summary(stats: BatchStats) -> str:
    counts = stats.statuses
    boxes = "".join(f'<div class="count {status}"><b>{counts[status]}</b>{STATUS_TEXT[status]}</div>'
                    for status in FILE_STATUSES)
    packs = "、".join(f"{esc(p.city)} {esc(p.id)}（版本 {esc(p.version)}）" for p in all_packs())
    cached = f"，其中 {stats.cached} 个结果来自缓存" if stats.cached else ""
    return (f"<header><h1>{esc(REPORT_TITLE)}</h1>\n"
            f'<div class="counts"><div class="count all"><b>{stats.files}</b>文件</div>{boxes}</div>\n'
            f'<p class="meta">生成时间：{esc(time.strftime("%Y-%m-%d %H:%M:%S"))}；用时 {stats.elapsed:.1f} 秒{cached}。'
            f"<br>规则包：{packs}</p></header>\n")


def _options(pairs: Iterable[tuple[str, str]], everyone: str) -> str:
    return f'<option value="">{everyone}</option>' + "".join(
        f'<option value="{esc(value)}">{esc(label)}</option>' for value, label in pairs)


def _filters(rows: list[FileRow], rules: list[RuleTally]) -> str:
    statuses = [(s, STATUS_TEXT[s]) for s in FILE_STATUSES] + [("warn", "有提示")]
    kinds = sorted({r.kind for r in rows if r.kind})
    cities = sorted({r.jurisdiction for r in rows if r.jurisdiction})
    return ('<section id="filters"><h2>筛选</h2><div class="filters">'
            f'<label>结论 <select id="f-status">{_options(statuses, "全部")}</select></label>'
            f'<label>规则 <select id="f-rule">{_options(((t.rule, f"{t.rule} {t.title}") for t in rules), "全部规则")}'
            "</select></label>"
            f'<label>文书类型 <select id="f-kind">{_options(((k, kind_text(k)) for k in kinds), "全部类型")}</select></label>'
            f'<label>城市 <select id="f-city">{_options(((c, jurisdiction_text(c)) for c in cities), "全部城市")}'
            "</select></label>"
            '<label>搜索 <input id="f-q" type="search" placeholder="文件名、单位名称、电话、条款……"></label>'
            '<label><input id="f-bad" type="checkbox"> 只显示不合格和提示的条款</label>'
            '<button id="f-reset" type="button">清除筛选</button>'
            f'<span class="shown">显示 <b id="shown">{len(rows)}</b> / {len(rows)} 个文件</span>'
            "</div></section>\n")


def _rule_table(rules: list[RuleTally]) -> str:
    body = "".join(
        f'<tr class="rule-row" data-rule="{esc(t.rule)}" title="点击按此规则筛选">'
        f"<td><code>{esc(t.rule)}</code></td><td>{esc(t.title)}</td>"
        f'<td class="nowrap">{esc(LEVEL_TEXT.get(t.level, t.level))}</td><td>{esc(t.citation)}</td>'
        + "".join(f'<td class="n{" " + s if t.counts[s] else ""}">{t.counts[s]}</td>'
                  for s in ("pass", "fail", "warn", "not-applicable"))
        + "</tr>\n" for t in rules)
    head = "".join(f"<th>{name}</th>" for name in ("规则", "名称", "级别", "依据", "通过", "不合格", "提示", "不适用"))
    return _collapsible("rules", f"按规则汇总（{len(rules)} 条规则，点击一行按该规则筛选）", head,
                        body or '<tr><td colspan="8">没有适用的规则</td></tr>')


def _collapsible(section_id: str, title: str, head: str, body: str) -> str:
    return (f'<section id="{section_id}"><details open><summary><h2>{esc(title)}</h2></summary>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details></section>\n")


def _data(number: int, row: FileRow) -> str:
    """What the filters read: the script finds a file's rules and text in its article (id f<number>)."""
    return (f'data-i="{number}" data-status="{esc(row.status)}" data-warn="{1 if row.warned else 0}" '
            f'data-kind="{esc(row.kind or "")}" data-city="{esc(row.jurisdiction or "")}"')


def _file_table(rows: list[FileRow]) -> str:
    body = "".join(
        f'<tr class="file-row" {_data(n, row)}><td><a href="#f{n}">{esc(row.path)}</a></td>'
        f'<td><span class="badge {row.status}">{STATUS_TEXT[row.status]}</span></td>'
        f"<td>{esc(kind_text(row.kind))}</td><td>{esc(jurisdiction_text(row.jurisdiction))}</td>"
        f'<td class="n">{row.pages or ""}</td><td class="n">{len(row.failed)}</td><td class="n">{len(row.warned)}</td>'
        f"<td>{esc(row.explanation())}</td></tr>\n" for n, row in enumerate(rows, start=1))
    head = "".join(f"<th>{name}</th>" for name in ("文件", "结论", "文书类型", "规则包", "页数", "不合格", "提示", "说明"))
    return _collapsible("files", f"按文件汇总（{len(rows)} 个文件）", head, body)


def _document(number: int, row: FileRow, doc: dict[str, Any]) -> str:
    applies = " ".join(f["rule"] for f in doc["findings"])
    meta = [f"文书类型：{kind_text(row.kind)}" if row.kind else "",
            f"规则包：{jurisdiction_text(row.jurisdiction)}" if row.jurisdiction else "",
            f"页数：{row.pages}" if row.pages else "", "结果来自缓存" if row.cached else ""]
    parts = [f'<article class="doc {row.status}" id="f{number}" {_data(number, row)} data-applies="{esc(applies)}">',
             f'<h3><span class="badge {row.status}">{STATUS_TEXT[row.status]}</span> '
             f'<span class="path">{esc(row.path)}</span></h3>',
             f'<p class="meta">{esc(" · ".join(m for m in meta if m))}</p>']
    if row.error:
        parts.append(f'<p class="reason">无法读取：{esc(row.reason)}</p>')
    if doc["notes"]:
        parts.append('<ul class="notes">' + "".join(f"<li>{esc(n)}</li>" for n in doc["notes"]) + "</ul>")
    parts += [_finding(f) for f in doc["findings"]]
    return "\n".join(parts) + "\n</article>\n"


def _finding(finding: dict[str, Any]) -> str:
    status = finding["status"]
    terms = highlight_terms(finding)
    evidence = "".join(
        f'<div class="evidence"><div class="where">{esc(where(e) or "位置不详")}</div>'
        f'<pre class="quote">{marked(e["text"], terms)}</pre></div>' for e in finding["evidence"])
    return (f'<div class="finding {status}" data-rule="{esc(finding["rule"])}" data-status="{esc(status)}">'
            f'<div class="finding-head"><span class="badge {status}">{STATUS_TEXT[status]}</span> '
            f'<b>{esc(finding["title"])}</b> <code>{esc(finding["rule"])}</code> '
            f'<span class="level">{esc(LEVEL_TEXT.get(finding["level"], finding["level"]))}</span></div>'
            f'<p class="message">{esc(finding["message"])}</p>'
            f'<p class="citation">依据：{esc(finding["citation"])}</p>'
            f'<blockquote class="requirement"><span>条文原文：</span>{esc(finding["requirement"])}</blockquote>'
            f"{evidence}</div>")


def marked(text: str, terms: list[str]) -> str:
    """`text` escaped, with the spans of `terms` inside <mark>."""
    out, last = [], 0
    for start, end in highlight_spans(text, terms):
        out += [esc(text[last:start]), f"<mark>{esc(text[start:end])}</mark>"]
        last = end
    out.append(esc(text[last:]))
    return "".join(out)


_STYLE = """
:root{--pass:#1e7b34;--fail:#c62828;--warn:#b26a00;--error:#555;--na:#777;--line:#ddd}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1280px;padding:16px 24px;font:14px/1.6 system-ui,"PingFang SC","Microsoft YaHei",
"Noto Sans CJK SC","Source Han Sans SC",sans-serif;color:#222;background:#fafafa}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:24px 0 8px;border-bottom:2px solid var(--line)}
summary{cursor:pointer}summary h2{display:inline-block;border:0}
h3{font-size:15px;margin:0 0 4px;word-break:break-all}
[hidden]{display:none!important}
.counts{display:flex;gap:12px;flex-wrap:wrap}
.count{padding:8px 16px;border-radius:6px;background:#fff;border:1px solid var(--line);min-width:96px}
.count b{display:block;font-size:24px}
.count.pass b{color:var(--pass)}.count.fail b{color:var(--fail)}.count.error b{color:var(--error)}
td.n.pass{color:var(--pass)}
.meta{color:#555;font-size:13px}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:center;background:#fff;padding:8px 12px;
border:1px solid var(--line);border-radius:6px;position:sticky;top:0;z-index:2}
.filters select,.filters input[type=search]{font:inherit;padding:2px 4px;max-width:320px}
.shown{margin-left:auto;color:#555}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right;white-space:nowrap}
tr.rule-row{cursor:pointer}tr.rule-row:hover{background:#eef4ff}
td.n.fail{color:var(--fail);font-weight:bold}td.n.warn{color:var(--warn)}
.badge{display:inline-block;padding:0 6px;border-radius:4px;color:#fff;font-size:12px;white-space:nowrap}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}
.badge.error{background:var(--error)}.badge.not-applicable{background:var(--na)}
article.doc{background:#fff;border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;
padding:12px 16px;margin:12px 0}
article.doc.pass{border-left-color:var(--pass)}article.doc.fail{border-left-color:var(--fail)}
article.doc.error{border-left-color:var(--error)}
.reason{color:var(--fail);font-weight:bold}.nowrap,th{white-space:nowrap}
.notes{color:#555;font-size:13px;margin:4px 0}
.finding{border-top:1px dashed var(--line);padding:8px 0}
.finding-head code,td code{font-size:12px;color:#555}
.level{font-size:12px;color:#555;border:1px solid var(--line);border-radius:4px;padding:0 4px}
.message{margin:4px 0}.finding.fail .message{color:var(--fail)}.finding.warn .message{color:var(--warn)}
.citation{margin:2px 0;color:#333}
.requirement{margin:4px 0;padding:4px 12px;border-left:3px solid #9bb;background:#f4f8f8;color:#333}
.requirement span{color:#577}
.evidence{margin:6px 0}.where{font-size:12px;color:#555}
.quote{white-space:pre-wrap;word-break:break-all;font:inherit;background:#fcfcf4;border:1px solid #eee;
padding:6px 10px;margin:2px 0}
mark{background:#ffe36e;padding:0 1px}
@media print{.filters{position:static}#filters{display:none}}
"""

_SCRIPT = """
(function(){
  var $ = function(s){return document.querySelector(s);};
  var all = function(s){return Array.prototype.slice.call(document.querySelectorAll(s));};
  var docs = all('article.doc'), rows = all('tr.file-row'), texts = {};
  function text(el){ var i = el.dataset.i;
    if(!(i in texts)){ texts[i] = document.getElementById('f' + i).textContent.toLowerCase(); }
    return texts[i]; }
  function has(list, word){ return (' ' + list + ' ').indexOf(' ' + word + ' ') >= 0; }
  function filters(){ return {status: $('#f-status').value, rule: $('#f-rule').value, kind: $('#f-kind').value,
    city: $('#f-city').value, q: $('#f-q').value.trim().toLowerCase(), bad: $('#f-bad').checked}; }
  function matches(el, f){ var d = el.dataset;
    if(f.status === 'warn' ? d.warn !== '1' : (f.status && d.status !== f.status)) return false;
    if(f.kind && d.kind !== f.kind) return false;
    if(f.city && d.city !== f.city) return false;
    if(f.rule && !has(document.getElementById('f' + d.i).dataset.applies, f.rule)) return false;
    if(f.q && text(el).indexOf(f.q) < 0) return false;
    return true; }
  function apply(){ var f = filters(), shown = 0;
    docs.forEach(function(a){ var ok = matches(a, f); a.hidden = !ok; shown += ok ? 1 : 0;
      a.querySelectorAll('.finding').forEach(function(x){ var s = x.dataset.status;
        x.hidden = (f.rule && x.dataset.rule !== f.rule) || (f.bad && s !== 'fail' && s !== 'warn'); }); });
    rows.forEach(function(r){ r.hidden = !matches(r, f); });
    $('#shown').textContent = shown; }
  ['#f-status', '#f-rule', '#f-kind', '#f-city', '#f-bad'].forEach(function(s){
    $(s).addEventListener('change', apply); });
  $('#f-q').addEventListener('input', apply);
  $('#f-reset').addEventListener('click', function(){
    ['#f-status', '#f-rule', '#f-kind', '#f-city', '#f-q'].forEach(function(s){ $(s).value = ''; });
    $('#f-bad').checked = false; apply(); });
  all('tr.rule-row').forEach(function(r){ r.addEventListener('click', function(){
    $('#f-rule').value = r.dataset.rule; apply(); $('#files').scrollIntoView(); }); });
})();
"""
