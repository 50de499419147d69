"""The Ray executor (`checkers.ray_runner`) on a local Ray runtime of 2 CPUs, started once for the
module: the same verdicts file by file as the local process pool on the sample set and the hostile
corpus (both ways of sending files), the same CLI report, the cache, time limits, memory guard and
workers killed mid-batch. Skipped without Ray, except in CI (CI=true), where Ray is required."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import CONTRACT, HAS_SOFFICE, ROOT, _load_script

try:
    import ray
except ImportError:
    if os.environ.get("CI") == "true":
        raise  # CI installs the ray extra: its absence is a failure, not a reason to skip
    pytest.skip("Ray 未安装（pip install 'idi[ray]'）", allow_module_level=True)

from checkers.batch import BatchRunner, BatchSettings
from checkers.cache import ResultCache
from checkers.check import CheckOptions, check_file
from checkers.findings import DocumentResult
from checkers.ray_runner import RayBatchRunner
from idi.check_commands import expand_paths


needs_pdf = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed: no PDF samples")


# Checkers that misbehave on cue. Ray workers do not import this module: it is sent by value.


def misbehaving_check(path: Path, options: CheckOptions) -> DocumentResult:
    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(60)
    elif name.startswith("once"):  # kills its worker the first time only
        marker = Path(path).with_name(name + ".died")
        if not marker.exists():
            marker.write_text(str(os.getpid()), encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)
    elif name.startswith("always"):  # kills every worker that tries it
        os.kill(os.getpid(), signal.SIGKILL)
    elif name.startswith("hog"):
        hog = bytearray(2 * 2**30)  # beyond the test's memory limit
        hog[-1] = 1
    elif name.startswith("bug"):
        raise ValueError("测试用的缺陷")
    return check_file(path, options)


@pytest.fixture(scope="module")
def ray_runtime():
    """One local Ray runtime of 2 CPUs for the module (it takes seconds to start)."""
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    started = time.monotonic()
    context = ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    print(f"Ray 启动用时 {time.monotonic() - started:.1f} 秒", file=sys.stderr)
    yield context
    ray.shutdown()


def results(runner, paths) -> tuple[dict[int, dict], object]:
    """Every file's result as JSON by input position (there are no timings in it), and the totals."""
    items = list(runner.run(paths))
    assert sorted(item.index for item in items) == list(range(len(paths)))
    return {item.index: item.result.as_json() for item in items}, runner.stats


def on_ray(paths, settings=None, options=None, checker=check_file, **ray_settings):
    runner = RayBatchRunner(options or CheckOptions(), settings or BatchSettings(jobs=2), checker, **ray_settings)
    return results(runner, paths)


def by_name(paths, found: dict[int, dict]) -> dict[str, dict]:
    return {Path(paths[index]).name: result for index, result in found.items()}


# --- the same verdicts as the local pool ----------------------------------------------------------


@pytest.fixture(scope="module")
def sample_files(sample_set):
    return expand_paths([sample_set[0]])


@pytest.mark.parametrize("transfer", ["path", "bytes"])
def test_same_results_as_the_local_pool_on_the_sample_set(ray_runtime, sample_files, transfer):
    local, local_stats = results(BatchRunner(CheckOptions(), BatchSettings(jobs=2)), sample_files)
    remote, stats = on_ray(sample_files, transfer=transfer)
    assert remote == local
    assert stats.statuses == local_stats.statuses and stats.crashes == stats.timeouts == 0
    assert 1 <= stats.workers_started <= 2 and stats.cpu_seconds > 0


@pytest.fixture(scope="module")
def hostile(sample_set, tmp_path_factory):
    make_hostile = _load_script("make_hostile")
    out = tmp_path_factory.mktemp("hostile") / "送审 文件夹"
    manifest = yaml.safe_load(make_hostile.build(out, samples=sample_set[0]).read_text(encoding="utf-8"))
    files = expand_paths([out])
    options = CheckOptions(password=manifest["password"])
    local, _ = results(BatchRunner(options, BatchSettings(jobs=2, timeout=60)), files)
    return files, options, local


@needs_pdf
@pytest.mark.parametrize("transfer", ["path", "bytes"])
def test_same_results_as_the_local_pool_on_the_hostile_corpus(ray_runtime, hostile, transfer):
    files, options, local = hostile
    remote, stats = on_ray(files, BatchSettings(jobs=2, timeout=60), options, transfer=transfer)
    assert remote == local
    assert stats.crashes == stats.timeouts == 0


@pytest.fixture(scope="module")
def scan(sample_set, tmp_path_factory):
    """A scanned contract's first 2 pages (image-only: scripts/make_scans.py), kept short for CI."""
    import random

    from pypdf import PdfReader, PdfWriter

    make_scans = _load_script("make_scans")
    out = tmp_path_factory.mktemp("scans")
    sample = next(s for s in sample_set[1]["samples"] if s["name"] == "sh-presale-compliant")
    writer = PdfWriter()
    for page in PdfReader(sample_set[0] / sample["pdf"]).pages[:2]:
        writer.add_page(page)
    writer.write(out / "原件.pdf")
    make_scans.scan_pdf(out / "原件.pdf", out / "扫描件.pdf", sample, random.Random(2025))
    return out / "扫描件.pdf"


@needs_pdf
def test_a_scan_is_recognised_page_by_page_with_the_same_result(ray_runtime, scan):
    # No memory cap here: the local pool's 1536 MB address-space cap is tight for OCR (see the report).
    settings = BatchSettings(jobs=2, max_memory_mb=0)
    local, _ = results(BatchRunner(CheckOptions(), settings), [scan])
    assert local[0]["pages"] == 2 and "第1-2页为扫描图像，已用 OCR 识别文字" in local[0]["notes"][0]
    for transfer in ("path", "bytes"):
        remote, stats = on_ray([scan], settings, transfer=transfer)
        assert remote == local
        assert stats.page_tasks == 2  # every page was a task of its own


@needs_pdf
def test_the_cli_report_on_ray_equals_the_local_one(ray_runtime, sample_set, tmp_path):
    folder = sample_set[0] / "pdf"
    address = ray_runtime.address_info["gcs_address"]  # this module's runtime: no second start-up
    reports = {}
    for name, extra in (("local", []), ("ray", ["--executor", "ray", "--address", address])):
        reports[name] = tmp_path / f"{name}.json"
        result = subprocess.run([sys.executable, "-m", "idi", "check", folder, "--no-cache", "-q", "--jobs", "2",
                                 "-o", reports[name], *extra], capture_output=True, text=True, cwd=ROOT,
                                timeout=300)
        assert result.returncode == 1, result.stderr  # the sample set has failing contracts
        assert "Traceback" not in result.stderr
    local, remote = (json.loads(reports[n].read_text(encoding="utf-8")) for n in ("local", "ray"))
    assert remote["documents"] == local["documents"] and len(local["documents"]) > 10


# --- cache ---------------------------------------------------------------------------------------


def test_the_cache_is_shared_with_the_local_pool_and_hits_need_no_cluster(ray_runtime, folder, tmp_path):
    paths = folder("甲.txt", "乙.txt", "空.pdf")
    paths[1].write_text(CONTRACT.replace("021-64581230", "______"), encoding="utf-8")
    paths[2].write_bytes(b"")
    cache = ResultCache.open(tmp_path / "cache", CheckOptions())
    first, _ = on_ray(paths, BatchSettings(jobs=2, cache=cache))
    local, local_stats = results(BatchRunner(CheckOptions(), BatchSettings(jobs=2, cache=cache)), paths)
    assert local == first and local_stats.cached == 3
    unreachable = RayBatchRunner(CheckOptions(), BatchSettings(jobs=2, cache=cache), address="ray://192.0.2.1:1")
    again, stats = results(unreachable, paths)  # every file a hit: Ray is never contacted
    assert again == first and stats.cached == 3 and stats.workers_started == 0


# --- faults -------------------------------------------------------------------------------------


def test_a_file_over_the_time_limit_is_an_error_and_the_batch_goes_on(ray_runtime, folder):
    paths = folder("hang.txt", "after.txt", "last.txt")
    started = time.monotonic()
    found, stats = on_ray(paths, BatchSettings(jobs=1, timeout=3), checker=misbehaving_check)
    found = by_name(paths, found)
    assert time.monotonic() - started < 40
    assert found["hang.txt"]["status"] == "error"
    assert "检查超时" in found["hang.txt"]["error"] and "--timeout" in found["hang.txt"]["error"]
    assert found["after.txt"]["status"] == found["last.txt"]["status"] == "pass"
    assert stats.timeouts == 1


def test_workers_killed_mid_batch_are_retried_and_every_verdict_arrives(ray_runtime, folder, tmp_path):
    names = [f"合同 {i}.txt" for i in range(6)]
    paths = folder(*names[:3], "once.txt", *names[3:], "always.txt")
    for path in (paths[3], paths[-1]):  # their own content: not a cache hit of the others' verdict
        path.write_text(CONTRACT + path.stem, encoding="utf-8")
    cache = ResultCache.open(tmp_path / "cache", CheckOptions())
    found, stats = on_ray(paths, BatchSettings(jobs=2, cache=cache), checker=misbehaving_check, retries=2)
    found = by_name(paths, found)
    assert (tmp_path / "once.txt.died").exists()  # its first worker did die
    assert {name: found[name]["status"] for name in [*names, "once.txt"]} == dict.fromkeys([*names, "once.txt"],
                                                                                           "pass")
    error = found["always.txt"]["error"]
    assert found["always.txt"]["status"] == "error" and error.startswith(f"{paths[-1]}：")
    assert "检查进程" in error and "多次异常退出" in error and "已重试 2 次" in error
    assert stats.crashes == 1 and stats.statuses == {"pass": 7, "error": 1}
    again, stats = on_ray(paths, BatchSettings(jobs=2, cache=cache), checker=misbehaving_check, retries=0)
    assert stats.cached == 7  # a crash is never cached
    assert "未重试" in by_name(paths, again)["always.txt"]["error"]


def test_without_streaming_as_through_ray_client_limits_and_crashes_still_hold(ray_runtime, folder, monkeypatch):
    import checkers.ray_runner

    monkeypatch.setattr(checkers.ray_runner, "PLAIN_START_ALLOWANCE", 1.0)  # time runs from submission
    paths = folder("hang.txt", "always.txt", "ok.txt")
    paths[1].write_text(CONTRACT + "always", encoding="utf-8")
    # 30 s: two fresh Ray workers (one per attempt) must start within it on a loaded 2-core machine
    found, stats = on_ray(paths, BatchSettings(jobs=2, timeout=30), checker=misbehaving_check, retries=1,
                          streaming=False)
    found = by_name(paths, found)
    assert "检查超时" in found["hang.txt"]["error"] and "已重试 1 次" in found["always.txt"]["error"]
    assert found["ok.txt"]["status"] == "pass" and stats.timeouts == stats.crashes == 1


def test_the_memory_guard_and_internal_errors(ray_runtime, folder):
    paths = folder("hog.txt", "bug.txt", "after.txt")
    found, stats = on_ray(paths, BatchSettings(jobs=1, max_memory_mb=1024), checker=misbehaving_check)
    found = by_name(paths, found)
    assert "内存不足" in found["hog.txt"]["error"] and "1024 MB" in found["hog.txt"]["error"]
    assert "内部错误" in found["bug.txt"]["error"] and "ValueError" in found["bug.txt"]["error"]
    assert found["after.txt"]["status"] == "pass" and stats.crashes == 0


def test_a_memory_limit_too_low_to_start_stops_the_batch(ray_runtime, folder):
    from checkers.batch import WorkerStartError

    with pytest.raises(WorkerStartError, match="内存上限 16 MB 过低"):
        on_ray(folder("a.txt"), BatchSettings(jobs=1, max_memory_mb=16))


# --- an optional extra ----------------------------------------------------------------------------


def test_ray_is_optional(folder):
    code = ("import sys; sys.modules['ray'] = None\n"  # as if Ray were not installed
            "from click.testing import CliRunner\n"
            "from idi.check_commands import check\n"
            "local = CliRunner().invoke(check, [sys.argv[1], '--no-cache', '-q', '--jobs', '1'])\n"
            "ray = CliRunner().invoke(check, [sys.argv[1], '--executor', 'ray'])\n"
            "print(local.exit_code, ray.exit_code, ray.output)\n")
    (path,) = folder("合同.txt")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.stdout.startswith("0 2 ") and "需要安装 Ray：pip install 'idi[ray]'" in result.stdout, result


def test_a_node_with_other_versions_refuses_to_check(folder, monkeypatch):
    from checkers.ray_runner import check_task, installed_versions

    monkeypatch.setenv("IDI_OCR_THREADS", "1")  # what a task sets in its worker: restored afterwards
    (path,) = folder("合同.txt")
    messages = list(check_task(str(path), str(path), CheckOptions(), BatchSettings(), check_file, "其他版本"))
    assert messages[0][0] == "failed" and "版本与提交任务的机器不同" in messages[0][1]
    messages = list(check_task(str(path), str(path), CheckOptions(), BatchSettings(), check_file,
                               installed_versions()))
    assert [m[0] for m in messages] == ["started", "done"] and messages[1][1].result.status == "pass"


def test_an_unreachable_cluster_is_a_usage_error_at_once(folder):
    (path,) = folder("合同.txt")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "idi", "check", str(path), "--address", "127.0.0.1:1", "--no-cache"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2 and "无法连接 Ray 集群 127.0.0.1:1" in result.stderr
    assert time.monotonic() - started < 60 and "Traceback" not in result.stderr
