"""`idi check`: verify the clauses the regulations require in submitted documents."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich import box
from rich.markup import escape
from rich.table import Table

from checkers.check import CheckOptions, KIND_TITLES, check_file, load_project_data, load_user_rules
from checkers.findings import DocumentResult
from corpus.packs import resolve_pack
from corpus.schema import DOC_KINDS

from .views import console

SUPPORTED = (".pdf", ".docx", ".txt")
STATUS_LABELS = {"pass": "[green]通过[/green]", "fail": "[red]不合格[/red]", "warn": "[yellow]提示[/yellow]",
                 "not-applicable": "[dim]不适用[/dim]", "error": "[red]无法读取[/red]"}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jurisdiction", "-j", help="规则包 id 或城市名（默认按项目文件或正文判断）。")
@click.option("--kind", "-k", type=click.Choice(DOC_KINDS), help="文书类型（默认按标题和正文判断）。")
@click.option("--project", type=click.Path(dir_okay=False, path_type=Path),
              help="项目文件：文中的保险公司、电话、维修单位须与之一致。")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="附加规则文件（规则包的 clauses 格式），可多次指定。")
@click.option("--password", help="加密 PDF 的打开密码。")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def check(paths, jurisdiction, kind, project, rule_files, password, fmt) -> None:
    """检查 PATHS（PDF、DOCX、TXT 文件或文件夹）是否载明规定的条款。

    退出码：0 全部通过；1 有不合格或无法读取的文件；2 用法错误。
    """
    if jurisdiction:
        resolve_pack(jurisdiction)  # an unknown pack is a usage error, not a per-file one
    options = CheckOptions(
        jurisdiction=jurisdiction, kind=kind,
        project=load_project_data(project) if project else None,
        rules=[load_user_rules(path) for path in rule_files], password=password)
    results = [check_file(path, options) for path in expand_paths(paths)]
    if fmt == "json":
        click.echo(json.dumps({"documents": [r.as_json() for r in results]}, ensure_ascii=False, indent=2))
    else:
        for result in results:
            print_result(result)
        print_summary(results)
    sys.exit(0 if all(r.status == "pass" for r in results) else 1)


def expand_paths(paths) -> list[Path]:
    """Files as given (any extension: extraction says what is wrong), folders searched recursively."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
        else:
            files.append(path)
    if not files:
        raise click.UsageError("给定的文件夹中没有 PDF、DOCX 或 TXT 文件")
    return files


def print_result(result: DocumentResult) -> None:
    kind = KIND_TITLES.get(result.kind, "") if result.kind else ""
    console.print(f"\n[bold]{escape(str(result.path))}[/bold]  {STATUS_LABELS[result.status]}"
                  f"  {kind} {result.jurisdiction or ''}")
    if result.error:
        console.print(f"  {escape(result.error)}")
        return
    for note in result.notes:
        console.print(f"  [dim]{escape(note)}[/dim]")
    if not result.findings:
        return
    table = Table(box=box.SIMPLE, show_lines=False, expand=False)
    for column in ("规则", "结论", "说明", "证据（页·条款）", "依据"):
        table.add_column(column, overflow="fold")
    for finding in result.findings:
        where = "；".join(f"第{e.page}页·{e.clause}" for e in finding.evidence if e.page)
        table.add_row(finding.rule, STATUS_LABELS[finding.status], escape(finding.message),
                      escape(where), escape(finding.citation))
    console.print(table)


def print_summary(results: list[DocumentResult]) -> None:
    counts = {status: sum(r.status == status for r in results) for status in ("pass", "fail", "error")}
    console.print(f"\n共 {len(results)} 个文件：通过 {counts['pass']}，不合格 {counts['fail']}，"
                  f"无法读取 {counts['error']}。")
