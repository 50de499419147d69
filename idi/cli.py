"""The `idi` command line: a thin shell over the corpus, docgen and checkers libraries."""
from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import click

from corpus.errors import IdiError
from corpus.packs import all_packs, resolve_pack
from corpus.timeline import load_project, timeline_for_project

from . import views

DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="idi", message="idi %(version)s")
def cli() -> None:
    """住宅工程质量潜在缺陷保险文书生成与合规检查套件。"""


@cli.group()
def rules() -> None:
    """查看各城市的规则包（法规依据、期限、金额比例、法定文书、条款要求）。"""


@rules.command("list")
@click.option("--on", "on", type=DATE, help="判断是否有效的日期（YYYY-MM-DD），默认今天。")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def rules_list(on, fmt: str) -> None:
    """列出全部规则包及其在某日是否有效。"""
    day = on.date() if on else date.today()
    packs = all_packs()
    if fmt == "json":
        emit_json([views.pack_summary(p, day) for p in packs])
    else:
        views.print_pack_list(packs, day)


@rules.command("show")
@click.argument("pack")
@click.option("--on", "on", type=DATE, help="按城市名选择规则包时所依据的日期，默认今天。")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def rules_show(pack: str, on, fmt: str) -> None:
    """显示规则包 PACK（规则包 id，或城市名如 上海、shanghai）。"""
    resolution = resolve_pack(pack, on.date() if on else None)
    if resolution.warning:
        click.echo(resolution.warning, err=True)
    if fmt == "json":
        emit_json(resolution.pack.model_dump(mode="json"))
    else:
        views.print_pack(resolution.pack)


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "ics"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入文件而不是标准输出（ics 格式建议使用）。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件。")
def timeline(project: Path, fmt: str, output: Path | None, force: bool) -> None:
    """由项目文件 PROJECT 的里程碑计算规则包规定的全部期限和期间。"""
    result = timeline_for_project(load_project(project))
    if result.warning:
        click.echo(result.warning, err=True)
    if fmt == "table" and output is None:
        return views.print_timeline(result)
    text = {"json": lambda: json.dumps(result.as_json(), ensure_ascii=False, indent=2),
            "ics": lambda: views.timeline_ics(result),
            "table": lambda: views.timeline_text(result)}[fmt]()
    if output is None:
        click.echo(text)
        return
    if output.exists() and not force:
        raise IdiError(f"{output}：文件已存在；如需覆盖请加 --force")
    output.write_text(text, encoding="utf-8")
    click.echo(f"已写入 {output}（{len(result.events)} 个事项）", err=True)


# Click's usage errors are English; users get them in Chinese.
_USAGE_MESSAGES = (
    (r"Missing argument '(.+)'\.", "缺少参数 {0}。"),
    (r"Missing command\.", "缺少命令。"),
    (r"No such command '(.+)'\.", "没有命令 “{0}”。"),
    (r"No such option:? '?([^'\s.]+)'?\.?(?: Did you mean .*)?", "没有选项 {0}。"),
    (r"Option '(.+)' requires an argument\.", "选项 {0} 需要一个值。"),
    (r"Got unexpected extra arguments? \((.+)\)", "多余的参数：{0}"),
    (r"Invalid value for '(.+)': '(.+)' does not match the formats? .*", "{0} 的值 “{1}” 不是 YYYY-MM-DD 格式的日期。"),
    (r"Invalid value for '(.+)': '(.+)' is not one of (.+)\.", "{0} 的值 “{1}” 无效，应为 {2} 之一。"),
    (r"Invalid value for '(.+)': (.+)", "{0} 的值无效：{1}"),
)


# Library commands: each library's shell module registers its commands here, one line each.
from .check_commands import check  # noqa: E402
from .docgen_commands import docs, generate, templates  # noqa: E402
from .web.server import serve  # noqa: E402

for _command in (check, docs, generate, templates, serve):
    cli.add_command(_command)


def usage_error_text(exc: click.UsageError) -> str:
    message = exc.format_message()
    for pattern, template in _USAGE_MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.S)
        if match:
            return template.format(*match.groups())
    return message


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def main() -> None:
    """Entry point: user errors print one clear Chinese message, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
            click.echo(f"查看帮助：{exc.ctx.command_path} --help", err=True)
        click.echo(f"错误：{usage_error_text(exc)}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"错误：{exc.format_message()}", err=True)
        sys.exit(2)
    except IdiError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - last line of defence against tracebacks
        click.echo(f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}", err=True)
        sys.exit(3)
