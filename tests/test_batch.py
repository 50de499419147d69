"""The batch runner and its cache: worker processes, time limits, crashes, memory guard, reuse."""
from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from conftest import CONTRACT

from checkers.batch import BatchItem, BatchRunner, BatchSettings, InputOrder, WorkerStartError
from checkers.cache import ResultCache, file_digest, result_from_json
from checkers.check import CheckOptions, check_file
from checkers.findings import DocumentResult



# Checkers that misbehave on cue; module-level so that worker processes can import them by name.


def misbehaving_check(path: Path, options: CheckOptions) -> DocumentResult:
    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(60)
    elif name.startswith("segfault"):
        os.kill(os.getpid(), signal.SIGSEGV)
    elif name.startswith("killed"):
        os.kill(os.getpid(), signal.SIGKILL)
    elif name.startswith("exit"):
        os._exit(3)
    elif name.startswith("hog"):
        hog = bytearray(2 * 2**30)  # beyond the test's memory limit
        hog[-1] = 1
    elif name.startswith("bug"):
        raise ValueError("测试用的缺陷")
    return check_file(path, options)


def run(paths, settings: BatchSettings | None = None, options: CheckOptions | None = None, checker=check_file):
    runner = BatchRunner(options or CheckOptions(), settings or BatchSettings(jobs=2), checker)
    items = list(runner.run(paths))
    return {item.path.name: item for item in items}, runner.stats


def test_every_file_comes_back_once_with_its_input_position(folder):
    paths = folder(*(f"合同 {i}.txt" for i in range(6)))
    paths.append(folder("缺电话.txt", text=CONTRACT.replace("021-64581230", "______"))[0])
    items, stats = run(paths)
    assert sorted(item.index for item in items.values()) == list(range(7))
    assert {name: item.result.status for name, item in items.items()} == {
        **{f"合同 {i}.txt": "pass" for i in range(6)}, "缺电话.txt": "fail"}
    assert stats.statuses == {"pass": 6, "fail": 1} and stats.workers_started == 2
    assert 0 < stats.peak_rss_mb < 300


def test_a_file_over_the_time_limit_is_an_error_and_its_worker_is_replaced(folder):
    paths = folder("hang.txt", "after.txt")
    started = time.monotonic()
    items, stats = run(paths, BatchSettings(jobs=1, timeout=1.5), checker=misbehaving_check)
    assert time.monotonic() - started < 20
    assert items["hang.txt"].result.status == "error"
    assert "检查超时" in items["hang.txt"].result.error and "--timeout" in items["hang.txt"].result.error
    assert items["after.txt"].result.status == "pass"
    assert stats.timeouts == 1 and stats.workers_started == 2


@pytest.mark.parametrize("name, reason", [("segfault.txt", "SIGSEGV"), ("killed.txt", "SIGKILL"),
                                          ("exit.txt", "退出码 3")])
def test_a_crashed_worker_costs_only_its_file(folder, name, reason):
    paths = folder("before.txt", name, "after.txt")
    items, stats = run(paths, BatchSettings(jobs=1), checker=misbehaving_check)
    error = items[name].result.error
    assert items[name].result.status == "error" and reason in error and "检查进程" in error
    assert error.startswith(str(paths[1]))
    assert items["before.txt"].result.status == items["after.txt"].result.status == "pass"
    assert stats.crashes == 1


def test_the_memory_guard_turns_a_memory_hog_into_an_error(folder):
    paths = folder("hog.txt", "after.txt")
    items, _ = run(paths, BatchSettings(jobs=1, max_memory_mb=1024), checker=misbehaving_check)
    assert items["hog.txt"].result.status == "error"
    assert "内存不足" in items["hog.txt"].result.error and "1024 MB" in items["hog.txt"].result.error
    assert items["after.txt"].result.status == "pass"


def test_an_internal_error_is_reported_for_its_file_and_never_cached(folder, tmp_path):
    paths = folder("bug.txt", "ok.txt")
    paths[0].write_text(CONTRACT + "（另一份）", encoding="utf-8")  # same content would share a cache entry
    cache = ResultCache.open(tmp_path / "cache", CheckOptions())
    for _ in range(2):
        items, stats = run(paths, BatchSettings(jobs=1, cache=cache), checker=misbehaving_check)
    assert "内部错误" in items["bug.txt"].result.error and "ValueError" in items["bug.txt"].result.error
    assert not items["bug.txt"].cached and items["ok.txt"].cached


def test_a_worker_that_cannot_start_stops_the_batch_with_a_clear_error(folder):
    with pytest.raises(WorkerStartError, match="--max-memory"):
        run(folder("a.txt"), BatchSettings(jobs=1, max_memory_mb=16))


def test_page_limit(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(30):
        writer.add_blank_page(595, 842)
    path = tmp_path / "厚.pdf"
    writer.write(path)
    items, _ = run([path], BatchSettings(jobs=1, max_pages=10))
    assert "共 30 页" in items["厚.pdf"].result.error and "--max-pages" in items["厚.pdf"].result.error


def test_input_order_releases_items_as_soon_as_their_predecessors_are_out():
    order = InputOrder()
    item = lambda i: BatchItem(i, DocumentResult(path=Path(f"{i}.txt")))  # noqa: E731
    assert order.push(item(1)) == []
    assert [i.index for i in order.push(item(0))] == [0, 1]
    assert [i.index for i in order.push(item(2))] == [2]


# --- cache ---------------------------------------------------------------------------------------


def test_second_run_comes_from_the_cache_without_any_worker(folder, tmp_path):
    paths = folder("甲.txt", "乙.txt", "空.pdf")
    paths[2].write_bytes(b"")
    cache = ResultCache.open(tmp_path / "cache", CheckOptions())
    first, _ = run(paths, BatchSettings(jobs=2, cache=cache))
    second, stats = run(paths, BatchSettings(jobs=2, cache=cache))
    assert all(item.cached for item in second.values()) and stats.cached == 3
    assert stats.workers_started == 0
    assert {n: i.result.as_json() for n, i in first.items()} == {n: i.result.as_json() for n, i in second.items()}


def test_cache_keys_follow_content_and_options_not_names(folder, tmp_path):
    (original,) = folder("原件.txt")
    cache_dir = tmp_path / "cache"
    run([original], BatchSettings(jobs=1, cache=ResultCache.open(cache_dir, CheckOptions())))
    copy = tmp_path / "副本 改名.txt"
    copy.write_bytes(original.read_bytes())
    items, _ = run([copy], BatchSettings(jobs=1, cache=ResultCache.open(cache_dir, CheckOptions())))
    assert items[copy.name].cached and items[copy.name].result.path == copy
    other_kind = CheckOptions(kind="quality-warranty")
    items, _ = run([copy], BatchSettings(jobs=1, cache=ResultCache.open(cache_dir, other_kind)), other_kind)
    assert not items[copy.name].cached
    copy.write_text(CONTRACT + "补充条款。\n", encoding="utf-8")
    items, _ = run([copy], BatchSettings(jobs=1, cache=ResultCache.open(cache_dir, CheckOptions())))
    assert not items[copy.name].cached


def test_cached_errors_name_the_file_they_are_read_for(tmp_path):
    cache = ResultCache.open(tmp_path / "cache", CheckOptions())
    first, second = tmp_path / "一.pdf", tmp_path / "二.pdf"
    first.write_text("不是 PDF", encoding="utf-8")
    second.write_text("不是 PDF", encoding="utf-8")
    run([first], BatchSettings(jobs=1, cache=cache))
    items, _ = run([second], BatchSettings(jobs=1, cache=cache))
    assert items["二.pdf"].cached and items["二.pdf"].result.error.startswith(f"{second}：")


def test_a_corrupt_cache_entry_is_a_miss_and_gets_repaired(folder, tmp_path):
    (path,) = folder("合同.txt")
    cache = ResultCache.open(tmp_path / "cache", CheckOptions())
    run([path], BatchSettings(jobs=1, cache=cache))
    (entry,) = (tmp_path / "cache").rglob("*.json")
    entry.write_text("{不是 JSON", encoding="utf-8")
    items, _ = run([path], BatchSettings(jobs=1, cache=cache))
    assert not items["合同.txt"].cached and items["合同.txt"].result.status == "pass"
    items, _ = run([path], BatchSettings(jobs=1, cache=cache))
    assert items["合同.txt"].cached


def test_results_survive_the_round_trip_through_json(folder):
    (path,) = folder("合同.txt")
    result = check_file(path)
    assert result_from_json(json.loads(json.dumps(result.as_json())), path) == result


def test_only_regular_files_are_hashed(tmp_path):
    fifo = tmp_path / "管道.pdf"
    os.mkfifo(fifo)
    assert file_digest(fifo) is None  # and it did not block
    assert file_digest(tmp_path / "没有.pdf") is None


# --- which files `idi check` takes -------------------------------------------------------------


def test_folders_are_walked_for_supported_files_skipping_hidden_and_lock_files(tmp_path):
    from idi.check_commands import expand_paths

    for name in ("b/合同 二.PDF", "a/合同 一.docx", "a/说明.txt", "a/图纸.dwg", ".git/x.pdf", "a/.隐藏.pdf",
                 "a/~$合同 一.docx", "c/深/层/报告.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "a" / "断链.pdf").symlink_to(tmp_path / "没有")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["a/合同 一.docx", "a/断链.pdf", "a/说明.txt", "b/合同 二.PDF", "c/深/层/报告.pdf"]


def test_globs_expand_recursively_and_each_file_is_taken_once(tmp_path):
    from idi.check_commands import expand_paths

    for name in ("送审/一.pdf", "送审/子/二.pdf", "送审/子/三.docx"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = expand_paths([f"{tmp_path}/送审/**/*.pdf", tmp_path / "送审" / "一.pdf", f"{tmp_path}/送审/子"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["送审/一.pdf", "送审/子/二.pdf", "送审/子/三.docx"]


def test_a_file_given_by_name_is_taken_as_it_is_and_nothing_found_is_a_usage_error(tmp_path):
    import click

    from idi.check_commands import expand_paths

    assert expand_paths([tmp_path / "不存在.pdf"]) == [tmp_path / "不存在.pdf"]
    with pytest.raises(click.UsageError, match="没有找到"):
        expand_paths([tmp_path, f"{tmp_path}/**/*.pdf"])


def test_cli_usage_errors_exit_2_before_checking(folder, tmp_path):
    from test_cli import idi

    (path,) = folder("合同.txt")
    result = idi("check", path, "-o", tmp_path / "结果.pdf", check=False)
    assert result.returncode == 2 and "不支持的报告格式" in result.stderr
    result = idi("check", path, "--max-memory", "16", "--no-cache", check=False)
    assert result.returncode == 2 and "内存上限 16 MB 过低" in result.stderr
    (tmp_path / "空文件夹").mkdir()
    result = idi("check", tmp_path / "空文件夹", check=False)
    assert result.returncode == 2 and "没有找到要检查的 PDF、DOCX 或 TXT 文件" in result.stderr


def test_cli_quiet_table_prints_only_the_summary(folder, tmp_path):
    from test_cli import idi

    paths = folder("甲.txt", "乙.txt")
    result = idi("check", *paths, "-q", "--jobs", "2", "--cache-dir", tmp_path / "cache")
    assert result.stdout.strip().splitlines()[0] == "共 2 个文件：通过 2，不合格 0，无法读取 0。"
    assert "shanghai-2025/repair-unit" not in result.stdout
    again = idi("check", *paths, "-q", "--cache-dir", tmp_path / "cache")
    assert "2 个文件的结果来自缓存" in again.stdout and "检查进程 0 个" in again.stdout


def test_the_default_cache_follows_xdg(monkeypatch, tmp_path):
    from checkers.cache import default_cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "idi"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "家"))
    assert default_cache_dir() == tmp_path / "家" / ".cache" / "idi"
