"""The web app end to end in a real browser: Debian's chromium driven by Playwright against a real
`idi serve` (uvicorn) process with an access token.

A reviewer logs in, uploads a folder with a compliant and a defective contract, sees one 通过 and one 不合格,
opens the failing finding, downloads the HTML report; then fills the owner notice form (with one
mistake first, shown next to its field) and downloads the .docx. Screenshots go to
$IDI_WEB_SHOTS when it is set.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from docx import Document

from web_support import BROWSER_ARGS, browser_or_skip, compliant_and_defective, running_server, samples

TOKEN = "e2e-token-7Hq2"


@pytest.fixture(scope="module")
def browser():
    executable = browser_or_skip()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=[*BROWSER_ARGS, "--lang=zh-CN"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web-e2e")
    with running_server(folder, TOKEN, "--jobs", "2") as base:
        yield base


def _page(browser, server, tmp_path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((server, "blob:", "data:")) else None)
    page.goto(server + "/")
    assert "/login" in page.url  # the token is asked for first
    page.get_by_label("访问令牌").fill(TOKEN)
    page.get_by_role("button", name="进入").click()
    page.wait_for_url(server + "/")
    return context, page, outside


def _shot(page, name: str) -> None:
    folder = os.environ.get("IDI_WEB_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=False)


def test_check_a_compliant_and_a_defective_contract(browser, server, sample_set, tmp_path):
    compliant, defective = compliant_and_defective(sample_set)
    files = samples(sample_set, [compliant, defective])
    folder = tmp_path / "送审合同"  # a folder of contracts, as a reviewer receives them
    (folder / "第二批").mkdir(parents=True)
    shutil.copy(files[0], folder / files[0].name)
    shutil.copy(files[1], folder / "第二批" / files[1].name)
    (folder / "清单.xls").write_bytes(b"not checked")
    context, page, outside = _page(browser, server, tmp_path)
    try:
        page.locator("#jurisdiction option").nth(1).wait_for(state="attached")  # the options have loaded
        page.set_input_files("#folder-input", str(folder))  # 选择文件夹…
        page.get_by_text("已选择 2 个文件").wait_for()
        assert "清单.xls（不支持的文件类型）" in page.locator("#picked").inner_text()
        page.get_by_label("城市（规则包）").select_option("")  # automatic
        page.get_by_role("button", name="开始检查").click()
        page.get_by_text("检查完成").wait_for(timeout=120_000)

        rows = page.locator("#results tbody tr.file")
        assert rows.count() == 2
        passing = rows.filter(has_text=files[0].name)
        failing = rows.filter(has_text=files[1].name)
        assert passing.locator(".badge").inner_text() == "通过"
        assert failing.locator(".badge").inner_text() == "不合格"
        assert "shanghai-2025/repair-unit" in failing.locator("td.rules").inner_text()
        assert "上海" in failing.inner_text()

        failing.get_by_role("button", name=files[1].name).click()
        detail = page.locator("tr.detail")
        finding = detail.locator("article.finding.fail").first
        finding.wait_for()
        text = finding.inner_text()
        assert "不合格" in text and "依据：" in text and "第1页" in text or "第" in text
        assert finding.locator("blockquote").count() >= 1
        assert failing.get_by_role("button", name=files[1].name).get_attribute("aria-expanded") == "true"
        page.locator("#progress-panel").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('progress-panel').scrollIntoView()")
        _shot(page, "check.png")
        page.get_by_role("button", name="不合格", exact=True).click()  # the filter
        assert rows.filter(has_text=files[0].name).is_hidden()

        with page.expect_download() as info:
            page.get_by_role("link", name="HTML 报告").click()
        report = tmp_path / "report.html"
        info.value.save_as(report)
        html = report.read_text(encoding="utf-8")
        assert info.value.suggested_filename == "合规检查报告.html"
        assert "住宅工程质量潜在缺陷保险文书合规检查报告" in html
        assert f"送审合同/第二批/{files[1].name}" in html and files[0].name in html and "repair-unit" in html
        assert outside == []  # nothing fetched from anywhere else
    finally:
        context.close()


def test_fill_the_owner_notice_and_download_the_docx(browser, server, tmp_path):
    context, page, outside = _page(browser, server, tmp_path)
    try:
        page.get_by_role("link", name="生成文书").click()
        page.get_by_role("button", name="保险告知书").first.click()
        page.locator("#doc-form").wait_for()
        page.get_by_label("城市（规则包）").select_option("shanghai-2025")
        page.locator("#doc-form").wait_for()
        owner = page.locator('fieldset[data-path="owner"]')
        owner.get_by_label("业主姓名").fill("钱网页")
        owner.get_by_label("户号（房号）").fill("12号楼1203室")
        phone = page.locator('[data-path="insurer.claims_phone"] input')
        phone.fill("12")
        page.get_by_role("button", name="生成并下载").click()
        error = page.locator('[data-path="insurer.claims_phone"] .err')
        error.wait_for()
        assert "电话号码格式不正确" in error.inner_text()
        assert phone.get_attribute("aria-invalid") == "true"
        assert "insurer.claims_phone（保险公司 › 报案（理赔）电话）" in page.locator(".errors").inner_text()
        page.evaluate("window.scrollTo(0, 0)")
        _shot(page, "generate.png")
        phone.fill("021-63001234")
        with page.expect_download() as info:
            page.get_by_role("button", name="生成并下载").click()
        target = tmp_path / "notice.docx"
        info.value.save_as(target)
        assert info.value.suggested_filename.endswith(".docx")
        text = "\n".join(p.text for p in Document(str(target)).paragraphs)
        assert "尊敬的钱网页（12号楼1203室）" in text and "021-63001234" in text
        page.get_by_text("已生成").wait_for()
        assert outside == []
    finally:
        context.close()


def test_files_dropped_on_the_page_are_listed_and_unsupported_ones_skipped(browser, server, tmp_path):
    context, page, _ = _page(browser, server, tmp_path)
    try:
        page.locator("#jurisdiction option").nth(1).wait_for(state="attached")
        page.evaluate("""() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(["上海市商品房预售合同"], "送审合同.txt", {type: "text/plain"}));
            transfer.items.add(new File(["MZ"], "setup.exe"));
            const zone = document.getElementById("dropzone");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""")
        page.get_by_text("已选择 1 个文件").wait_for()
        assert "setup.exe（不支持的文件类型）" in page.locator("#picked").inner_text()
        assert page.get_by_role("button", name="开始检查").is_enabled()
    finally:
        context.close()


def test_every_document_type_generates_from_its_prefilled_form(browser, server, tmp_path):
    """The form built from each type's schema gives back data that validates: every type, as shown."""
    context, page, _ = _page(browser, server, tmp_path)
    problems = []
    try:
        page.goto(server + "/generate")
        page.locator("#types button[data-type]").first.wait_for()
        ids = page.eval_on_selector_all("#types button[data-type]", "buttons => buttons.map(b => b.dataset.type)")
        assert len(ids) >= 30
        for type_id in ids:
            page.locator(f'#types button[data-type="{type_id}"]').click()
            page.locator("#form-title").wait_for()
            page.wait_for_function("id => location.search.includes('type=' + id)", arg=type_id)
            page.get_by_role("button", name="生成并下载").click()
            outcome = page.locator("#messages .ok, #messages .errors")
            outcome.first.wait_for()
            if page.locator("#messages .errors").count():
                problems.append(f"{type_id}: {page.locator('#messages .errors').inner_text()}")
    finally:
        context.close()
    assert problems == []
