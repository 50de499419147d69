"""`idi docs`, `idi generate`, `idi templates`: the shell over docgen."""
from __future__ import annotations

import json
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from corpus.errors import IdiError
from corpus.packs import resolve_pack
from corpus.yamlio import load_yaml_file, load_yaml_text

# docgen is imported inside the commands, so that `idi rules …` does not pay for it.

console = Console(width=None if sys.stdout.isatty() else 160)


# ---------------------------------------------------------------------------------------------
# idi docs


@click.group("docs")
def docs() -> None:
    """文书目录：各城市规定的全部文书及其依据。"""


@docs.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--pack", "pack", help="只列出该规则包（id 或城市名）规定的文书。")
def docs_list(fmt: str, pack: str | None) -> None:
    """列出法规规定或提及的每一种文书：出具方、接收方、时点、依据的规则包和条款、是否可生成。"""
    from docgen import catalogue
    chosen = resolve_pack(pack).pack if pack else None
    entries = catalogue.for_pack(chosen.id) if chosen else catalogue.entries()
    if fmt == "json":
        rows = []
        for entry in entries:
            row = entry.as_json()
            if chosen:
                row["mandates"] = [m for m in row["mandates"] if m["pack"] == chosen.id]
            rows.append(row)
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    _print_entries(entries, chosen)


def _print_entries(entries, pack) -> None:
    from docgen import catalogue
    title = f"{pack.city}（{pack.id}）规定的文书" if pack else "文书目录（全部规则包）"
    table = Table(title=title, box=box.SIMPLE_HEAVY)
    columns = ["阶段", "id", "名称", "依据"] + (["出具方 → 接收方", "时点"] if pack else []) + ["状态"]
    for column in columns:
        table.add_column(column, overflow="fold")
    for entry in entries:
        mandates = [entry.mandate(pack.id)] if pack else list(entry.mandates)
        basis = "；".join(f"{m.pack.city} {m.cite}" + ("（推定）" if m.basis == "provision" else "") for m in mandates)
        row = [catalogue.STAGES[entry.stage], entry.id, entry.title, basis]
        if pack:
            m = mandates[0]
            row += [f"{m.issuer} → {m.recipient}", m.when]
        row.append(entry.status if entry.available else f"[yellow]{entry.status}[/yellow]")
        table.add_row(*(escape(c) if i < len(row) - 1 else c for i, c in enumerate(row)))
    console.print(table)
    available = sum(e.available for e in entries)
    console.print(f"共 {len(entries)} 种文书，其中 {available} 种可生成（idi generate TYPE --example 查看示例数据）。",
                  markup=False)


# ---------------------------------------------------------------------------------------------
# idi generate


STAGE_HELP = ("underwriting 承保、pre-construction 开工前、construction 施工、completion 竣工交付、"
              "pre-cover 保险责任开始前、claims 理赔、ongoing 常设")


@click.command("generate")
@click.argument("type_id", metavar="[TYPE]", required=False)
@click.option("-j", "--jurisdiction", help="规则包 id 或城市名；覆盖数据中的 pack:。")
@click.option("--data", "data_path", help="数据文件（YAML）：该文书的数据，或项目文件；- 表示从标准输入读取。")
@click.option("--example", is_flag=True, help="输出该文书的完整示例数据（YAML）。")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="输出文件（.docx，或 .pdf 经 LibreOffice 转换）；默认 TYPE.docx。"
                   "用 --stage、--rows 时为输出文件夹（必填）。")
@click.option("--stage", help=f"生成项目文件在该阶段应出具的全部文书（{STAGE_HELP}）。")
@click.option("--rows", "rows_path", type=click.Path(dir_okay=False, path_type=Path),
              help="每行生成一份 TYPE：CSV（UTF-8 或 GB18030）或 XLSX，列名为字段名（业主姓名、户号、联系电话 …）。")
@click.option("--name-column", help="与 --rows 同用：文件名取自哪一列（列名），默认第一列。")
@click.option("--pdf", is_flag=True, help="与 --stage、--rows 同用：同时把每份 .docx 转为 PDF（一次 LibreOffice 批量转换）。")
@click.option("--pdfa", is_flag=True, help="PDF 采用 PDF/A-2b 存档格式（用于 -o 文件名.pdf 或 --pdf）。")
@click.option("--draft", is_flag=True, help="草稿：缺项标注【待补】并加“草稿”水印，不因缺项报错（--stage、--rows 时只有数据不全的文书生成草稿）。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@click.option("--template", "template", type=click.Path(dir_okay=False, path_type=Path),
              help="使用自己的 .docx 模板（沙箱渲染）。")
def generate(type_id: str | None, jurisdiction: str | None, data_path: str | None, example: bool,
             output: Path | None, stage: str | None, rows_path: Path | None, name_column: str | None, pdf: bool,
             pdfa: bool, draft: bool, force: bool, template: Path | None) -> None:
    """按规则包生成文书 TYPE（idi docs list 查看全部类型）；或用 --stage 由项目文件生成一个阶段的全部文书，
    用 --rows 按表格每行（每户）生成一份。"""
    _check_combination(type_id, example, data_path, stage, rows_path, name_column, pdf, template)
    if example:
        return _write_example(type_id, jurisdiction, output, force)
    if stage or rows_path:
        if output is None:
            raise click.UsageError("请用 -o 指定输出文件夹。")
        if output.exists() and not output.is_dir():
            raise click.UsageError(f"-o 应为文件夹：{output} 是文件。")
    options = {"draft": draft, "force": force, "pdf": pdf or pdfa, "pdfa": pdfa}
    if stage:
        return _generate_packet(stage, data_path, jurisdiction, output, **options)
    if rows_path:
        return _generate_rows(type_id, data_path, jurisdiction, rows_path, name_column, output, template, **options)
    _generate_one(type_id, data_path, jurisdiction, output, draft, force, template, pdfa)


def _check_combination(type_id, example, data_path, stage, rows_path, name_column, pdf, template) -> None:
    if stage and type_id:
        raise click.UsageError("--stage 生成该阶段的全部文书，不能同时指定 TYPE。")
    if not stage and not type_id:
        raise click.UsageError("请指定文书类型 TYPE，或用 --stage 生成一个阶段的全部文书（idi docs list 查看类型）。")
    if stage and (rows_path or template):
        raise click.UsageError("--stage 不能与 --rows、--template 同用。")
    if name_column and not rows_path:
        raise click.UsageError("--name-column 须与 --rows 同用。")
    if pdf and not (stage or rows_path):
        raise click.UsageError("单份文书请用 -o 文件名.pdf 输出 PDF；--pdf 用于 --stage 和 --rows。")
    if example and (data_path or stage or rows_path):
        raise click.UsageError("--example 不能与 --data、--stage、--rows 同用。")
    if not example and not data_path:
        raise click.UsageError("请用 --data 指定数据文件（- 表示标准输入），或用 --example 输出示例数据。")


def _generate_one(type_id, data_path, jurisdiction, output, draft, force, template, pdfa) -> None:
    import docgen
    data, pack, base_dir, source = _document_data(type_id, data_path, jurisdiction)
    output = output or Path(f"{type_id}.docx")
    if output.is_dir():
        raise click.UsageError(f"-o 应为文件名（.docx 或 .pdf）：{output} 是文件夹。")
    if output.exists() and not force:
        raise IdiError(f"{output}：文件已存在；如需覆盖请加 --force")
    suffix = output.suffix.lower()
    if pdfa and suffix != ".pdf":
        raise click.UsageError("--pdfa 用于 PDF 输出：请写 -o 文件名.pdf。")
    if suffix == ".pdf":
        result = docgen.render_pdf(type_id, data, pack, output, draft=draft, template=template, base_dir=base_dir,
                                   source=source, pdfa=pdfa)
    elif suffix == ".docx":
        result = docgen.render(type_id, data, pack, output, draft=draft, template=template, force=force,
                               base_dir=base_dir, source=source)
    else:
        raise click.UsageError(f"输出文件须以 .docx 或 .pdf 结尾：{output}")
    _echo_warnings(result.warnings)
    kind = "草稿" if result.draft else "文书"
    click.echo(f"已生成{kind} {output}（{result.type_id}，规则包 {result.pack}）", err=True)


def _write_example(type_id: str, jurisdiction: str | None, output: Path | None, force: bool) -> None:
    import docgen
    text = docgen.example_text(type_id, jurisdiction)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise IdiError(f"{output}：文件已存在；如需覆盖请加 --force")
    output.write_text(text, encoding="utf-8")
    click.echo(f"已写入示例数据 {output}", err=True)


def _read_data(data_path: str):
    if data_path == "-":
        return load_yaml_text(sys.stdin.read(), "标准输入"), Path.cwd(), "标准输入"
    path = Path(data_path)
    return load_yaml_file(path), path.resolve().parent, str(path)


def _record(data, base_dir: Path, source: str, jurisdiction: str | None):
    from docgen.packets import record_from
    record = record_from(data, source, base_dir, jurisdiction)
    _echo_warnings(record.warnings)
    return record


def _document_data(type_id: str, data_path: str, jurisdiction: str | None):
    """(data, pack, base dir, source): a document's data file as it is, or a project record's
    sections for TYPE with the record's pack."""
    from docgen.packets import is_record
    data, base_dir, source = _read_data(data_path)
    if not is_record(data):
        return data, jurisdiction, base_dir, source
    record = _record(data, base_dir, source, jurisdiction)
    return record.data_for(type_id), record.pack, base_dir, source


def _generate_packet(stage: str, data_path: str, jurisdiction: str | None, output: Path, *, draft: bool,
                     force: bool, pdf: bool, pdfa: bool) -> None:
    from docgen import catalogue
    from docgen.packets import generate_packet
    record = _record(*_read_data(data_path), jurisdiction)
    packet = generate_packet(record, stage, output, draft=draft, force=force, pdf=pdf)
    title = f"{record.name or '项目'} · {catalogue.STAGES[stage]}阶段文书（{record.pack.city}，{record.pack.id}）"
    _finish(packet.outcomes, output, title, "文书", pdf, pdfa)


def _generate_rows(type_id: str, data_path: str, jurisdiction: str | None, rows_path: Path,
                   name_column: str | None, output: Path, template: Path | None, *, draft: bool, force: bool,
                   pdf: bool, pdfa: bool) -> None:
    import docgen
    from docgen.bulk import Batch, read_rows, row_tasks
    doc_type = docgen.get_type(type_id)
    data, pack, base_dir, source = _document_data(type_id, data_path, jurisdiction)
    rows = read_rows(rows_path)
    tasks, columns = row_tasks(doc_type, data, rows, output, name_column=name_column)
    if columns.ignored:
        click.echo(f"注意：{rows_path} 中的列 {'、'.join(columns.ignored)} 不对应 {type_id} 的字段，已忽略", err=True)
    batch = Batch(pack, draft=draft, force=force, pdf=pdf, base_dir=base_dir, template=template)
    with _progress(len(tasks), f"生成 {doc_type.title}") as advance:
        outcomes = batch.run(tasks, progress=advance)
    _finish(outcomes, output, f"{doc_type.title}：{rows_path.name} 每行一份", "行", pdf, pdfa)


@contextmanager
def _progress(total: int, description: str):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    out = Console(stderr=True)
    with Progress(*columns, console=out, transient=True, disable=not out.is_terminal) as progress:
        task = progress.add_task(description, total=total)
        yield lambda outcome: progress.advance(task)


def _finish(outcomes, output: Path, title: str, first_column: str, pdf: bool, pdfa: bool) -> None:
    """PDFs of the written documents (one LibreOffice run), warnings, the summary table."""
    from docgen.bulk import convert_pdfs
    try:
        if pdf:
            with console.status("正在用 LibreOffice 转换 PDF …"):
                convert_pdfs(outcomes, output, pdfa=pdfa)
    finally:
        for outcome in outcomes:
            _echo_warnings(outcome.warnings, f"{outcome.task.label}：")
        _print_outcomes(outcomes, title, first_column)
    if any(o.failed for o in outcomes):
        sys.exit(1)


def _print_outcomes(outcomes, title: str, first_column: str) -> None:
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    for column in (first_column, "文件", "状态"):
        table.add_column(column, overflow="fold")
    for outcome in outcomes:
        files = [p.name for p in (outcome.task.path, outcome.pdf) if p]
        table.add_row(escape(outcome.task.label), escape("、".join(files) or "—"), escape(_status_text(outcome)))
    console.print(table)
    counts = Counter(o.status for o in outcomes)
    counts["pdf"] = sum(bool(o.pdf_error) for o in outcomes)
    parts = [f"{name} {counts[key]}" for key, name in
             (("written", "已生成"), ("draft", "草稿"), ("exists", "已存在跳过"), ("pending", "模板待建"),
              ("failed", "失败"), ("pdf", "PDF 转换失败")) if counts[key]]
    console.print(f"共 {len(outcomes)} 项：{'，'.join(parts) or '无'}。", markup=False)


def _status_text(outcome) -> str:
    if outcome.pdf_error:
        return f"{outcome.status_title}；PDF 转换失败：{outcome.pdf_error}"
    if outcome.status == "draft":
        gaps = sum(w.startswith("草稿缺项") for w in outcome.warnings)
        return f"{outcome.status_title}（{gaps} 项待补）"
    if outcome.status == "exists":
        return f"{outcome.status_title}（{outcome.reason}）"
    if outcome.status == "failed":
        return f"{outcome.status_title}：{outcome.reason.removeprefix(outcome.task.label + '：')}"
    return outcome.status_title


def _echo_warnings(warnings, prefix: str = "") -> None:
    for warning in warnings:
        text = warning if warning.startswith("注意") else f"注意：{warning}"
        click.echo(f"{prefix}{text}", err=True)


# ---------------------------------------------------------------------------------------------
# idi templates


@click.group("templates")
def templates() -> None:
    """自备 .docx 模板的检查。"""


@templates.command("check")
@click.argument("template", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("type_id", metavar="TYPE")
def templates_check(template: Path, type_id: str) -> None:
    """检查模板 TEMPLATE：列出该文书类型不提供的变量，以及模板遗漏的必需变量。有问题时退出码为 1。"""
    import docgen
    report = docgen.check_template(template, type_id)
    if report.ok:
        click.echo(f"{template}：与文书类型 {type_id} 相符，未发现问题。")
        return
    for path in report.unknown:
        click.echo(f"{template}：变量 {path} 不是 {type_id} 提供的数据（拼写错误？），渲染时将报错")
    for path in report.missing:
        click.echo(f"{template}：缺少必需的变量 {path}")
    click.echo(f"共 {len(report.unknown) + len(report.missing)} 个问题。", err=True)
    sys.exit(1)

