"""`idi serve`: run the web app with uvicorn."""
from __future__ import annotations

import sys

import click

from .settings import DEFAULT_PORT, Settings, is_loopback, token_from_environment


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。默认只允许本机访问；监听其他地址（如 0.0.0.0）时请同时设置访问令牌。")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True, help="端口。")
@click.option("--token", help="访问令牌：设置后每个请求都须携带（登录页输入，或 Authorization: Bearer）。"
                               "也可用环境变量 IDI_TOKEN 设置（更安全：不会出现在进程列表中）。")
@click.option("--max-upload-mb", type=click.FloatRange(min=1), default=200, show_default=True,
              help="每个检查任务上传文件的总大小上限（MB）。")
@click.option("--max-files", type=click.IntRange(min=1), default=500, show_default=True,
              help="每个检查任务的文件数上限。")
@click.option("--jobs", type=click.IntRange(min=1), help="每个检查任务并行检查的进程数（默认：全部 CPU 核心）。")
@click.option("--concurrent-checks", type=click.IntRange(min=1), default=1, show_default=True,
              help="同时运行的检查任务数，其余排队。")
@click.option("--keep-minutes", type=click.FloatRange(min=1), default=60, show_default=True,
              help="检查完成后报告保留的时间（分钟），到期删除。")
@click.option("--no-cache", is_flag=True, help="不使用也不保存缓存的检查结果。")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="缓存目录（默认与 idi check 相同）。")
def serve(host, port, token, max_upload_mb, max_files, jobs, concurrent_checks, keep_minutes, no_cache,
          cache_dir) -> None:
    """启动审查工作台（网页）：在浏览器中批量检查文书、填写表单生成文书。"""
    import uvicorn

    from pathlib import Path

    from .app import create_app
    token = token or token_from_environment()
    if not is_loopback(host) and not token:
        click.echo(f"警告：正在监听 {host}，其他计算机可以访问本服务，但没有设置访问令牌，"
                   "任何能连到本机的人都能上传文件和下载报告。请用 --token 或环境变量 IDI_TOKEN 设置令牌。",
                   err=True)
    settings = Settings(host=host, port=port, token=token, max_upload_mb=max_upload_mb, max_files=max_files,
                        jobs=jobs or 0, concurrent_checks=concurrent_checks, keep_minutes=keep_minutes,
                        cache=not no_cache, cache_dir=Path(cache_dir) if cache_dir else None)
    shown = f"[{host}]" if ":" in host else host
    where = "127.0.0.1" if host in ("0.0.0.0", "::") else shown
    click.echo(f"审查工作台已启动：http://{where}:{port}/  （按 Ctrl+C 停止）"
               + ("；需要访问令牌" if token else ""), err=True)
    sys.stderr.flush()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", access_log=False)
