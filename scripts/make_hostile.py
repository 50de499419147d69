#!/usr/bin/env python3
"""Build a hostile corpus: files that must not stop a batch, mixed with good and defective contracts.

    python scripts/make_hostile.py OUT_DIR [--samples SAMPLE_DIR]

SAMPLE_DIR is a sample set made by scripts/make_samples.py with PDFs (LibreOffice needed); without
it one is built in a temporary folder. OUT_DIR gets:

- 样本/: good and defective contracts copied from the sample set, under names with Chinese
  characters and spaces;
- 恶意与损坏/: an empty file, a truncated PDF, a PDF of random bytes, two encrypted PDFs (one whose
  password is in the manifest, one whose password is not), text and HTML named .pdf, a DOCX zip
  bomb (small on disk, 1 GiB declared), DOCX files with a billion-laughs DTD and an external entity,
  an old Word file named .docx, a ZIP that is no Word document, a PDF without a text layer, a
  1,000-page PDF (one contract's pages repeated: about 0.4 MB), a file with no permissions, a broken
  symbolic link, a named pipe, binary bytes named .txt, a GB18030 text contract, and texts whose
  city or kind cannot be told;
- manifest.yaml: for every file the status `idi check --password <password>` must give (pass, fail
  or error) and, for errors, words the Chinese reason must contain.

Running as root, chmod 000 does not stop reading: the no-permission file then holds a good contract
and is expected to pass (the manifest says which case applies); the broken link and the named pipe
stand for unreadable files either way.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

PASSWORD = "idi-2025"
OTHER_PASSWORD = "不告诉你-42"
PAGES = 1000
BOMB_DECLARED = 256 * 2**20  # bytes the zip bomb's document part inflates to (about 1.2 MB on disk)
BOMB_CHUNK = 2**20
SAMPLES = "样本"
HOSTILE = "恶意与损坏"
# (sample name, format, name in the corpus)
SAMPLE_COPIES = (
    ("sh-presale-compliant", "pdf", "上海 预售合同（合规）.pdf"),
    ("hz-notice-compliant", "docx", "杭州 保险告知书 合规.docx"),
    ("jy-policy-compliant", "pdf", "济源 保险合同 合规 副本.pdf"),
    ("sh-presale-no-repair-unit", "docx", "上海 预售合同 缺少维修单位.docx"),
    ("bj-policy-deductible", "pdf", "北京 保险合同 免赔额 不合格.pdf"),
    ("sh-construction-no-subrogation", "pdf", "上海 施工合同 无代位求偿.pdf"),
)
GOOD_TEXT = """上海市商品房预售合同
第十八条 住宅工程质量潜在缺陷保险
保险期限起算日之前负责维修的单位为上海申浦建筑工程有限公司，联系电话：021-64581230。
建设单位监督电话：021-64587700。
保险期限内的保险公司为中国太平洋财产保险股份有限公司，联系电话：95500。
"""
NO_CITY_TEXT = GOOD_TEXT.replace("上海市", "").replace("上海", "")
NO_KIND_TEXT = "会议通知\n请各单位于下周一上午九点到会议室开会，讨论年度工作安排。\n"
DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
              'wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'officeDocument" Target="word/document.xml"/></Relationships>')
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
                  + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'
                            for i in range(1, 10))
                  + f']>\n<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
                    "</w:body></w:document>")
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>')


@dataclass
class Entry:
    path: str  # relative to the corpus folder
    status: str  # pass | fail | error, with --password PASSWORD
    description: str
    reason: str = ""  # words the error message must contain
    without_password: dict | None = None  # status and reason when no password is given

    def as_dict(self) -> dict:
        data = {"path": self.path, "status": self.status, "description": self.description}
        if self.reason:
            data["reason"] = self.reason
        if self.without_password:
            data["without_password"] = self.without_password
        return data


# --- the sample set -------------------------------------------------------------------------------


def sample_set(samples: Path | None, scratch: Path) -> tuple[Path, dict]:
    """A sample set with PDFs and its manifest: the one given, else one built under `scratch`."""
    if samples is None:
        sys.path.insert(0, str(ROOT / "scripts"))
        import make_samples

        samples = scratch / "samples"
        make_samples.build_samples(samples, pdf=True)
    manifest = yaml.safe_load((samples / "manifest.yaml").read_text(encoding="utf-8"))
    if not manifest.get("pdf"):
        raise SystemExit(f"{samples}：样本集没有 PDF（需要 LibreOffice），无法生成恶意文件集")
    return samples, {s["name"]: s for s in manifest["samples"]}


def expected_status(sample: dict) -> str:
    return "fail" if "fail" in sample["expected"].values() else "pass"


# --- builders: each writes one file and returns its entry -----------------------------------------


def write(out: Path, name: str, data: bytes) -> Path:
    path = out / HOSTILE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def docx_bytes(document: bytes | str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", DOCX_TYPES)
        package.writestr("_rels/.rels", DOCX_RELS)
        package.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(path: Path) -> None:
    """A DOCX whose document part inflates to BOMB_DECLARED bytes of XML whitespace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    chunk = b" " * BOMB_CHUNK
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", DOCX_TYPES)
        package.writestr("_rels/.rels", DOCX_RELS)
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for _ in range(BOMB_DECLARED // BOMB_CHUNK):
                member.write(chunk)
            member.write(b"</w:body></w:document>")


def pdf_writer_from(source: Path):
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(source)
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    return writer, reader


def encrypted_pdf(source: Path, password: str) -> bytes:
    writer, _ = pdf_writer_from(source)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def repeated_pdf(source: Path, pages: int) -> bytes:
    """`pages` pages cycling through the source's pages; page objects shared, so the file stays small."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(source)
    writer = PdfWriter()
    for index in range(pages):
        writer.add_page(reader.pages[index % len(reader.pages)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf(pages: int = 2) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def unreadable(out: Path, content: bytes) -> Entry:
    """A file without permissions; when reading it still works (root), it is expected to pass."""
    path = write(out, "没有读取权限.pdf", content)
    path.chmod(0)
    try:
        path.open("rb").close()
    except PermissionError:
        return Entry(_rel(out, path), "error", "没有读取权限的文件（chmod 000）", "无法读取文件")
    return Entry(_rel(out, path), "pass", "chmod 000 的合规合同：以 root 运行时仍可读取，按内容检查")


def special_files(out: Path) -> list[Entry]:
    link = out / HOSTILE / "失效的 链接.pdf"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to("并不存在的文件.pdf")
    entries = [Entry(_rel(out, link), "error", "指向不存在文件的符号链接", "文件不存在")]
    if hasattr(os, "mkfifo"):
        pipe = out / HOSTILE / "命名管道.pdf"
        os.mkfifo(pipe)
        entries.append(Entry(_rel(out, pipe), "error", "命名管道（读取会一直等待）", "不是文件"))
    return entries


def _rel(out: Path, path: Path) -> str:
    return path.relative_to(out).as_posix()


def build(out: Path, samples: Path | None = None) -> Path:
    """Write the corpus into `out` (emptied first) and return its manifest."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="idi-hostile-") as scratch:
        sample_dir, manifest = sample_set(samples, Path(scratch))
        entries = _copy_samples(out, sample_dir, manifest)
        good_pdf = sample_dir / "pdf" / "sh-presale-compliant.pdf"
        entries += _hostile_files(out, good_pdf)
    text = yaml.safe_dump({"generator": "scripts/make_hostile.py", "password": PASSWORD, "count": len(entries),
                           "files": [e.as_dict() for e in entries]}, allow_unicode=True, sort_keys=False)
    path = out / "manifest.yaml"
    path.write_text("# 恶意与损坏文件集清单（scripts/make_hostile.py 生成）：status 为使用 --password 时的预期结论。\n"
                    + text, encoding="utf-8")
    return path


def _copy_samples(out: Path, sample_dir: Path, manifest: dict) -> list[Entry]:
    entries = []
    for name, fmt, target in SAMPLE_COPIES:
        sample = manifest[name]
        path = out / SAMPLES / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample_dir / fmt / f"{name}.{fmt}", path)
        entries.append(Entry(_rel(out, path), expected_status(sample), f"样本 {name}：{sample['description']}"))
    return entries


def _hostile_files(out: Path, good_pdf: Path) -> list[Entry]:
    good = good_pdf.read_bytes()
    noise = random.Random(20250101).randbytes(64 * 1024)
    need_password = {"status": "error", "reason": "需要密码"}
    simple: list[tuple[str, Callable[[], bytes], str, str, str]] = [
        ("空文件.pdf", lambda: b"", "error", "文件为空", "空文件（0 字节）"),
        ("截断.pdf", lambda: good[: len(good) * 3 // 5], "error", "不完整", "下载中断的 PDF（只有前 60%）"),
        ("损坏.pdf", lambda: b"%PDF-1.7\n" + noise + b"\n%%EOF\n", "error", "损坏", "PDF 文件头后是随机字节"),
        ("文本冒充.pdf", lambda: "这只是一段文字，不是 PDF。\n".encode(), "error", "内容不是 PDF", "扩展名为 .pdf 的文本文件"),
        ("网页 冒充.pdf", lambda: b"<!DOCTYPE html><html><body>404</body></html>", "error", "网页", "扩展名为 .pdf 的网页"),
        ("billion-laughs.docx", lambda: docx_bytes(BILLION_LAUGHS), "error", "DOCTYPE", "DOCX 内含实体膨胀（billion laughs）"),
        ("外部实体.docx", lambda: docx_bytes(XXE), "error", "DOCTYPE", "DOCX 内含外部实体（XXE）"),
        ("旧版 Word.docx", lambda: bytes.fromhex("D0CF11E0A1B11AE1") + noise[:4096], "error", "旧版 Word",
         "扩展名为 .docx 的旧版 .doc 文件"),
        ("不是 Word.docx", lambda: _plain_zip(), "error", "不是 Word 文档", "扩展名为 .docx 的普通 ZIP"),
        ("扫描件.pdf", blank_pdf, "error", "没有可读取的文本层", "没有文本层的 PDF（扫描件）"),
        ("二进制.txt", lambda: noise[:2048], "error", "不是文本文件", "扩展名为 .txt 的二进制内容"),
        ("GBK 编码 合同.txt", lambda: GOOD_TEXT.encode("gb18030"), "pass", "", "GB18030 编码的合规文本合同"),
        ("看不出城市.txt", lambda: NO_CITY_TEXT.encode(), "error", "无法从正文判断所属城市", "正文没有城市名"),
        ("看不出类型.txt", lambda: NO_KIND_TEXT.encode(), "error", "无法判断文书类型", "与保险无关的通知"),
        (f"{PAGES}页.pdf", lambda: repeated_pdf(good_pdf, PAGES), "pass", "", f"{PAGES} 页的合同（页面重复）"),
    ]
    entries = [Entry(_rel(out, write(out, name, make())), status, description, reason)
               for name, make, status, reason, description in simple]
    entries += [
        Entry(_rel(out, write(out, "加密 有密码.pdf", encrypted_pdf(good_pdf, PASSWORD))), "pass",
              "加密 PDF，密码为清单中的 password", without_password=need_password),
        Entry(_rel(out, write(out, "加密 密码未知.pdf", encrypted_pdf(good_pdf, OTHER_PASSWORD))), "error",
              "加密 PDF，密码不是清单中的 password", "密码不正确", without_password=need_password),
    ]
    bomb = out / HOSTILE / "zip-bomb.docx"
    zip_bomb(bomb)
    entries.append(Entry(_rel(out, bomb), "error", f"ZIP 炸弹：磁盘上约 {bomb.stat().st_size // 1024} KB，"
                                                   f"解压后 {BOMB_DECLARED // 2**20} MB", "ZIP 炸弹"))
    return entries + [unreadable(out, good)] + special_files(out)


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "hello")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description="生成恶意与损坏文件集（含清单）。")
    parser.add_argument("out", type=Path)
    parser.add_argument("--samples", type=Path, help="make_samples.py 生成的样本目录（须含 PDF）")
    args = parser.parse_args()
    manifest = build(args.out, args.samples)
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    print(f"已生成 {data['count']} 个文件：{args.out}（清单 {manifest}）")


if __name__ == "__main__":
    main()
