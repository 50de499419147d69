"""`idi docs`, `idi generate`, `idi templates`: the shell over docgen."""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
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


@click.command("generate")
@click.argument("type_id", metavar="TYPE")
@click.option("-j", "--jurisdiction", help="规则包 id 或城市名；覆盖数据中的 pack:。")
@click.option("--data", "data_path", help="数据文件（YAML）；- 表示从标准输入读取。")
@click.option("--example", is_flag=True, help="输出该文书的完整示例数据（YAML）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="输出文件（.docx，或 .pdf 经 LibreOffice 转换）；默认 TYPE.docx。")
@click.option("--draft", is_flag=True, help="草稿：缺项标注【待补】并加“草稿”水印，不因缺项报错。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
@click.option("--template", "template", type=click.Path(dir_okay=False, path_type=Path),
              help="使用自己的 .docx 模板（沙箱渲染）。")
def generate(type_id: str, jurisdiction: str | None, data_path: str | None, example: bool, output: Path | None,
             draft: bool, force: bool, template: Path | None) -> None:
    """按规则包生成文书 TYPE（idi docs list 查看全部类型）。"""
    import docgen
    if example and data_path:
        raise click.UsageError("--example 与 --data 不能同时使用。")
    if example:
        return _write_example(type_id, jurisdiction, output, force)
    if not data_path:
        raise click.UsageError("请用 --data 指定数据文件（- 表示标准输入），或用 --example 输出示例数据。")
    data, base_dir, source = _read_data(data_path)
    output = output or Path(f"{type_id}.docx")
    if output.exists() and not force:
        raise IdiError(f"{output}：文件已存在；如需覆盖请加 --force")
    if output.suffix.lower() == ".pdf":
        result = _generate_pdf(type_id, data, jurisdiction, output, draft, template, base_dir, source)
    elif output.suffix.lower() == ".docx":
        result = docgen.render(type_id, data, jurisdiction, output, draft=draft, template=template, force=force,
                               base_dir=base_dir, source=source)
    else:
        raise click.UsageError(f"输出文件须以 .docx 或 .pdf 结尾：{output}")
    for warning in result.warnings:
        click.echo(f"注意：{warning}" if not warning.startswith("注意") else warning, err=True)
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


def _generate_pdf(type_id, data, jurisdiction, output: Path, draft, template, base_dir, source):
    import docgen
    try:
        from docgen.pdf import convert_to_pdf
    except ImportError:
        raise IdiError("PDF 转换功能（docgen.pdf）不可用；请输出 .docx，或安装后重试") from None
    with tempfile.TemporaryDirectory(prefix="idi-") as folder:
        docx = Path(folder) / f"{output.stem}.docx"
        result = docgen.render(type_id, data, jurisdiction, docx, draft=draft, template=template,
                               base_dir=base_dir, source=source)
        pdfs = convert_to_pdf([docx], Path(folder))
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdfs[0]), output)
    return result


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

