"""One document per row: CSV (UTF-8 with BOM, GB18030) and XLSX, file names, overwrite refusal,
bad rows reported by number while the batch goes on."""
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

import docgen
from corpus.errors import InputError
from docgen import bulk
from test_docgen_cli import idi  # noqa: F401 - the in-process CLI fixture

ROOT = Path(__file__).parents[1]
RECORD = ROOT / "corpus" / "samples" / "project-shanghai.yaml"
ROWS = [["业主姓名", "户号", "联系电话"],
        ["张三", "1号楼101室", "13800001111"],
        ["李四", "1号楼102室", "12"],  # an invalid phone
        ["王五", "1号楼103室", None]]


def write_csv(path: Path, rows, encoding="utf-8-sig") -> Path:
    text = "\n".join(",".join(cell or "" for cell in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("kind", ["utf-8-sig", "gb18030", "xlsx"])
def test_one_notice_per_row_and_bad_rows_reported(kind, tmp_path, idi):
    rows = tmp_path / ("owners.xlsx" if kind == "xlsx" else "owners.csv")
    write_xlsx(rows, ROWS) if kind == "xlsx" else write_csv(rows, ROWS, kind)
    out = tmp_path / "out"
    result = idi("generate", "owner-notice", "--data", RECORD, "--rows", rows, "-o", out, check=False)
    assert result.returncode == 1  # a row failed; the others were written
    assert sorted(p.name for p in out.iterdir()) == ["张三.docx", "王五.docx"]
    assert "尊敬的张三（1号楼101室）" in docgen.document_text(out / "张三.docx")
    for text in ("第3行", "owner.phone（业主 › 联系电话）", "电话号码格式不正确", "已生成 2", "失败 1"):
        assert text in result.stdout


def test_rows_never_overwrite_without_force(tmp_path, idi):
    rows = write_csv(tmp_path / "o.csv", [ROWS[0], ROWS[1]])
    out = tmp_path / "out"
    idi("generate", "owner-notice", "--data", RECORD, "--rows", rows, "-o", out)
    (out / "张三.docx").write_bytes(b"kept")
    again = idi("generate", "owner-notice", "--data", RECORD, "--rows", rows, "-o", out)
    assert "已存在，跳过" in again.stdout and (out / "张三.docx").read_bytes() == b"kept"
    idi("generate", "owner-notice", "--data", RECORD, "--rows", rows, "-o", out, "--force")
    assert (out / "张三.docx").read_bytes()[:2] == b"PK"


def test_an_existing_pdf_blocks_the_row_with_pdf(tmp_path, idi):
    rows = write_csv(tmp_path / "o.csv", [ROWS[0], ROWS[1]])
    out = tmp_path / "out"
    out.mkdir()
    (out / "张三.pdf").write_bytes(b"%PDF-mine")
    result = idi("generate", "owner-notice", "--data", RECORD, "--rows", rows, "-o", out, "--pdf")
    assert "张三.pdf 已存在，加 --force 覆盖" in result.stdout  # nothing written, so no conversion either
    assert sorted(p.name for p in out.iterdir()) == ["张三.pdf"]


def test_file_names_from_a_chosen_column_are_made_safe(tmp_path, idi):
    rows = write_csv(tmp_path / "o.csv", [
        ["序号", "业主姓名", "户号"], ["1", "甲", "../../evil"], ["2", "乙", "a/b\\c"], ["3", "丙", "a/b\\c"],
        ["4", "丁", "..."], ["5", "戊", "CON"]])
    out = tmp_path / "out"
    result = idi("generate", "owner-notice", "--data", RECORD, "--rows", rows, "-o", out, "--name-column", "户号")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["_.._evil.docx", "a_b_c.docx", "a_b_c（第4行）.docx", "第5行.docx", "_CON.docx"])
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.parent.glob("evil*"))
    assert "已生成 5" in result.stdout
    idi("generate", "owner-notice", "--data", RECORD, "--rows", rows, "-o", tmp_path / "d")
    assert sorted(p.name for p in (tmp_path / "d").iterdir())[0] == "1.docx"  # the first column by default
    missing = idi("generate", "owner-notice", "--data", RECORD, "--rows", rows, "-o", tmp_path / "m",
                  "--name-column", "房间", check=False)
    assert missing.returncode == 2 and "没有名为 “房间” 的列" in missing.stderr


@pytest.mark.parametrize("text,expected", [
    ("../../etc/passwd", "_.._etc_passwd"), ("a/b\\c:d*e?f", "a_b_c_d_e_f"), ("  ..  ", "备用"),
    ("", "备用"), (None, "备用"), ("nul.txt", "_nul.txt"), ("王\x00芳\n", "王_芳"), ("户" * 200, "户" * 80),
    (12.5, "12.5"),
])
def test_safe_filename(text, expected):
    assert bulk.safe_filename(text, "备用") == expected


def test_columns_by_title_field_name_or_path_and_rows_replace_the_owner():
    doc_type = docgen.get_type("owner-notice")
    columns = bulk.map_columns(doc_type, ["姓名", "unit", "手机", "project.milestones.delivery", "备注"])
    assert columns.paths == ["owner.name", "owner.unit", "owner.phone", "project.milestones.delivery", None]
    assert columns.ignored == ["备注"]
    base = docgen.example("owner-notice")  # a data file with an owner of its own
    data = bulk.row_data(base, columns, ["赵六", "9-901", None, "2027-01-01", "x"])
    assert data["owner"] == {"name": "赵六", "unit": "9-901"}  # no phone carried over from the example
    assert data["project"]["milestones"]["delivery"] == "2027-01-01"
    assert data["project"]["name"] == base["project"]["name"]
    with pytest.raises(InputError, match="没有一列能对应 owner-notice 的字段"):
        bulk.map_columns(doc_type, ["备注", "序号"])
    with pytest.raises(InputError, match="多个列对应同一字段：owner.name"):
        bulk.map_columns(doc_type, ["姓名", "业主姓名"])


def test_rows_over_a_plain_data_file_and_xlsx_numbers(tmp_path, idi):
    data = tmp_path / "notice.yaml"
    data.write_text(docgen.example_text("owner-notice"), encoding="utf-8")
    rows = write_xlsx(tmp_path / "o.xlsx", [["户号", "业主姓名", "联系电话"], [1201, "钱七", 13900001234]])
    idi("generate", "owner-notice", "--data", data, "--rows", rows, "-o", tmp_path / "out")
    text = docgen.document_text(tmp_path / "out" / "1201.docx")
    assert "尊敬的钱七（1201）" in text


def test_draft_rows_and_usage_errors(tmp_path, idi):
    rows = write_csv(tmp_path / "o.csv", [["业主姓名"], ["孙八"]])
    data = tmp_path / "notice.yaml"
    data.write_text(re.sub(r"(?m)^  number: .*\n", "", docgen.example_text("owner-notice")), encoding="utf-8")
    out = tmp_path / "out"
    refused = idi("generate", "owner-notice", "--data", data, "--rows", rows, "-o", out, check=False)
    assert refused.returncode == 1 and "policy.number" in refused.stdout
    drafted = idi("generate", "owner-notice", "--data", data, "--rows", rows, "-o", out, "--draft")
    assert "已生成草稿" in drafted.stdout
    assert docgen.read_properties(out / "孙八.docx")["idi-draft"] == "true"
    no_out = idi("generate", "owner-notice", "--data", data, "--rows", rows, check=False)
    assert no_out.returncode == 2 and "请用 -o 指定输出文件夹" in no_out.stderr
    stray = idi("generate", "owner-notice", "--data", data, "--name-column", "户号", check=False)
    assert stray.returncode == 2 and "--name-column 须与 --rows 同用" in stray.stderr
    wrong = tmp_path / "o.txt"
    wrong.write_text("x", encoding="utf-8")
    bad = idi("generate", "owner-notice", "--data", data, "--rows", wrong, "-o", out, check=False)
    assert bad.returncode == 2 and "只支持 .csv 或 .xlsx" in bad.stderr


def test_read_rows_skips_empty_rows_and_numbers_them_as_the_sheet_does(tmp_path):
    path = write_xlsx(tmp_path / "o.xlsx", [["业主姓名", "户号"], [None, None], ["甲", 101.0], ["乙", None]])
    rows = bulk.read_rows(path)
    assert rows.headers == ["业主姓名", "户号"]
    assert rows.rows == [(3, ["甲", "101"]), (4, ["乙", None])]
    tab = tmp_path / "t.csv"
    tab.write_text("业主姓名\t户号\n丙\t102\n", encoding="utf-8")
    assert bulk.read_rows(tab).rows == [(2, ["丙", "102"])]
    empty = write_csv(tmp_path / "e.csv", [["业主姓名"]])
    with pytest.raises(InputError, match="没有数据行"):
        bulk.read_rows(empty)
