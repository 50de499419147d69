"""Helpers of the web app's tests: a TestClient per settings, a real `idi serve` process on a free
port, the browser (Debian's chromium), and the sample contracts that pass and fail."""
from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
BASE_URL = "http://127.0.0.1"  # the app accepts only loopback Host names when it listens on loopback


@contextmanager
def client(settings):
    from fastapi.testclient import TestClient

    from idi.web import create_app
    app = create_app(settings)
    with TestClient(app, base_url=BASE_URL) as test_client:
        test_client.app_state = app.state
        yield test_client


def wait_for_job(test_client, job_id: str, timeout: float = 120, headers=None) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        summary = test_client.get(f"/api/jobs/{job_id}", headers=headers or {}).json()
        if summary["state"] in ("done", "failed", "cancelled"):
            return summary
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def samples(sample_set, names: list[str]) -> list[Path]:
    """The sample files by name: PDF when the set has them (what reviewers receive), else DOCX."""
    out, manifest = sample_set
    found = {s["name"]: s for s in manifest["samples"]}
    fmt = "pdf" if manifest.get("pdf") else "docx"
    return [out / found[name][fmt] for name in names]


def expected_status(sample_set, name: str) -> str:
    _, manifest = sample_set
    sample = next(s for s in manifest["samples"] if s["name"] == name)
    return "fail" if "fail" in sample["expected"].values() else "pass"


def compliant_and_defective(sample_set) -> tuple[str, str]:
    """Two Shanghai presale contracts of the sample set: one that passes, one that fails."""
    _, manifest = sample_set
    names = {s["name"] for s in manifest["samples"]}
    compliant, defective = "sh-presale-compliant", "sh-presale-no-repair-unit"
    assert {compliant, defective} <= names, "the sample set changed: choose other samples"
    assert expected_status(sample_set, compliant) == "pass" and expected_status(sample_set, defective) == "fail"
    return compliant, defective


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(tmp_path: Path, token: str | None = None, *extra: str):
    """`python -m idi serve` on a free port (a real uvicorn); yields the base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("IDI_TOKEN", None)
    if token:
        env["IDI_TOKEN"] = token
    log = open(tmp_path / "server.log", "w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "idi", "serve", "--port", str(port), "--cache-dir", str(tmp_path / "cache"), *extra],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise AssertionError(f"idi serve exited: {log.read()}")
            try:
                urllib.request.urlopen(base + "/login", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("idi serve did not start within 60 s") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def browser_or_skip():
    """Debian's chromium through Playwright; skipped when absent outside CI, a failure in CI."""
    in_ci = os.environ.get("CI", "").lower() in ("true", "1", "yes")
    problem = None
    if importlib.util.find_spec("playwright") is None:
        problem = "playwright (python) is not installed"
    if problem is None and not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        problem = f"{CHROMIUM} is not installed (scripts/install_system_deps.sh with IDI_WITH_BROWSER=1)"
    if problem:
        if in_ci:
            pytest.fail(f"CI needs the browser for the web app's end-to-end tests: {problem}")
        pytest.skip(problem)
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
