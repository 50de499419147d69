"""Stage packets: every document due at a stage, from one project record (corpus/samples)."""
import json
from pathlib import Path

import pytest
import yaml

import docgen
from corpus.timeline import load_project, timeline_for_project
from docgen import catalogue, packets
from docgen.bulk import per_owner
from docgen.types import registry
from idi.docgen_commands import STAGE_HELP
from test_docgen_cli import idi  # noqa: F401 - the in-process CLI fixture

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "corpus" / "samples"
CITIES = ("shanghai", "hangzhou", "beijing", "jiyuan", "jiaxing")


def record(city: str) -> packets.ProjectRecord:
    return packets.load_record(SAMPLES / f"project-{city}.yaml")


def city_stages():
    for city in CITIES:
        rec = record(city)
        for stage in catalogue.STAGES:
            if packets.stage_entries(rec, stage):
                yield city, stage


@pytest.mark.parametrize("city,stage", list(city_stages()))
def test_every_stage_of_every_sample_project(city, stage, tmp_path):
    """Every implemented type due at the stage is written, the others listed as 模板待建."""
    rec = record(city)
    packet = packets.generate_packet(rec, stage, tmp_path)
    assert not rec.warnings
    for outcome in packet.outcomes:
        entry = catalogue.entry(outcome.task.type_id)
        if not entry.available:
            assert outcome.status == "pending" and outcome.task.path is None
            continue
        assert outcome.status == "written", outcome.reason
        props = docgen.read_properties(outcome.task.path)
        assert props["idi-type"] == entry.id and props["idi-pack"].startswith(rec.pack.id + "@")
        assert props["idi-draft"] == "false"
        assert "注意" not in " ".join(outcome.warnings), outcome.warnings
    expected = {e.id for e in packets.stage_entries(rec, stage)}
    assert {o.task.type_id for o in packet.outcomes} == expected


def test_sample_records_still_serve_the_timeline():
    for city in CITIES:
        project = load_project(SAMPLES / f"project-{city}.yaml")
        assert timeline_for_project(project).events


def written(packet, type_id):
    return [o.task.path for o in packet.outcomes if o.task.type_id == type_id]


def test_shared_sections_and_per_document_sections_reach_the_documents(tmp_path):
    rec = record("shanghai")
    completion = packets.generate_packet(rec, "completion", tmp_path)
    notices = written(completion, "owner-notice")
    assert [p.name for p in notices] == ["owner-notice-李文静.docx", "owner-notice-张伟.docx", "owner-notice-王芳.docx"]
    text = docgen.document_text(notices[1])
    assert "尊敬的张伟（5号楼803室）" in text and "95500" in text and "浦江华庭住宅项目" in text
    warranty = docgen.document_text(written(completion, "quality-warranty-insurance-section")[0])
    for value in ("上海建工七建集团有限公司", "021-64005678", "021-64001999", "021-33961234",
                  "CPIC-IDI-2025-310112-0016"):
        assert value in warranty
    claims = packets.generate_packet(rec, "claims", tmp_path)
    denial = docgen.document_text(written(claims, "denial-notice")[0])
    assert "李文静" in denial and "IDI-SH-2029-000318" in denial


def test_per_document_section_merges_over_the_shared_one():
    rec = record("hangzhou")
    data = rec.data_for("denial-notice")
    assert data["pack"] == "hangzhou-2024"
    assert data["project"]["name"] == "之江保障房一期"  # the record's name
    assert data["project"]["milestones"]["claim_received"] == "2026-09-24"  # the timeline's milestones
    assert data["insurer"]["claims_phone"] == "95518" and data["owner"]["name"] == "王晓明"
    assert "risk_manager" not in data  # only the sections the type uses
    rec.data["documents"]["denial-notice"]["insurer"] = {"contact": "郑凯"}
    merged = rec.data_for("denial-notice")["insurer"]
    assert merged["contact"] == "郑凯" and merged["phone"] == "0571-87001234"


def test_one_notice_per_owner_only_where_the_owner_is_optional():
    assert per_owner(docgen.get_type("owner-notice"))
    assert not per_owner(docgen.get_type("denial-notice"))  # the claimant, required
    assert not per_owner(docgen.get_type("final-risk-report"))


def pending(monkeypatch, *type_ids) -> None:
    """The catalogue as before these types had templates: listed as 模板待建."""
    full = dict(registry())
    monkeypatch.setattr(catalogue, "registry", lambda: {k: v for k, v in full.items() if k not in type_ids})


def test_cli_packet_summary_and_overwrite_refusal(tmp_path, idi, monkeypatch):
    pending(monkeypatch, "joint-inspection-notice")
    data = SAMPLES / "project-beijing.yaml"
    out = tmp_path / "out"
    first = idi("generate", "--stage", "completion", "--data", data, "-o", out)
    assert "京西雅苑 · 竣工交付阶段文书（北京，beijing-2019）" in first.stdout
    for text in ("owner-notice.docx", "final-risk-report.docx", "已生成", "模板待建，跳过", "joint-inspection-notice"):
        assert text in first.stdout
    before = (out / "owner-notice.docx").read_bytes()
    (out / "owner-notice.docx").write_bytes(b"mine")
    again = idi("generate", "--stage", "completion", "--data", data, "-o", out)
    assert "已存在，跳过（加 --force 覆盖）" in again.stdout
    assert (out / "owner-notice.docx").read_bytes() == b"mine"
    idi("generate", "--stage", "completion", "--data", data, "-o", out, "--force")
    assert (out / "owner-notice.docx").read_bytes()[:2] == before[:2] == b"PK"


def test_stage_without_templates_lists_everything_as_skipped(tmp_path, idi, monkeypatch):
    pending(monkeypatch, "claims-procedure")
    result = idi("generate", "--stage", "claims", "--data", SAMPLES / "project-jiaxing.yaml", "-o", tmp_path / "o")
    assert "claims-procedure" in result.stdout and "模板待建 1" in result.stdout
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def incomplete_record(tmp_path: Path) -> Path:
    data = yaml.safe_load((SAMPLES / "project-beijing.yaml").read_text(encoding="utf-8"))
    del data["documents"]["owner-notice"]["date"]
    del data["documents"]["final-risk-report"]["evaluation"]
    del data["documents"]["final-risk-report"]["inspections"]
    path = tmp_path / "project.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_missing_data_names_every_type_and_field_and_writes_nothing(tmp_path, idi):
    out = tmp_path / "out"
    result = idi("generate", "--stage", "completion", "--data", incomplete_record(tmp_path), "-o", out, check=False)
    assert result.returncode == 2
    for text in ("竣工交付阶段有 2 份文书不能生成，未写入任何文件", "（owner-notice）：1 处问题", "date（成文日期）",
                 "（final-risk-report）：2 处问题", "inspections（过程检查情况）", "evaluation（总体风险评价）",
                 "documents.final-risk-report", "--draft"):
        assert text in result.stderr
    assert not out.exists() or not list(out.iterdir())


def test_draft_packet_marks_only_the_incomplete_documents(tmp_path, idi):
    out = tmp_path / "out"
    result = idi("generate", "--stage", "completion", "--data", incomplete_record(tmp_path), "-o", out, "--draft")
    assert "已生成草稿（1 项待补）" in result.stdout and "草稿 2" in result.stdout  # the empty list is no gap
    assert docgen.read_properties(out / "final-risk-report.docx")["idi-draft"] == "true"
    assert "【待补】" in docgen.document_text(out / "owner-notice.docx")


def test_refusals_are_not_drafted_away(tmp_path):
    rec = record("shanghai")
    rec.data["documents"]["final-risk-report"]["defects"][0]["rectified"] = False  # a severe defect left open
    with pytest.raises(packets.PacketIncomplete) as caught:
        packets.generate_packet(rec, "completion", tmp_path, draft=True)
    assert "不予生成《竣工最终风险评估报告》" in str(caught.value)
    assert not list(tmp_path.iterdir())


def test_single_document_from_a_project_record(tmp_path, idi):
    out = tmp_path / "n.docx"
    result = idi("generate", "denial-notice", "--data", SAMPLES / "project-jiyuan.yaml", "-o", out)
    assert "规则包 jiyuan-2022" in result.stderr
    assert "济源市豫通物流有限公司" in docgen.document_text(out)


def test_record_errors_and_warnings(tmp_path, idi):
    path = tmp_path / "p.yaml"
    base = (SAMPLES / "project-beijing.yaml").read_text(encoding="utf-8")
    path.write_text(base + "date: 2022-01-01\n", encoding="utf-8")
    result = idi("generate", "--stage", "claims", "--data", path, "-o", tmp_path / "o", check=False)
    assert result.returncode == 2 and "date 因文书而异，请写在 documents.<文书 id> 下" in result.stderr
    path.write_text(base.replace("  owner-notice:", "  owner-notise:"), encoding="utf-8")
    result = idi("generate", "--stage", "claims", "--data", path, "-o", tmp_path / "o", check=False)
    assert result.returncode == 2 and "owner-notise 不是文书 id" in result.stderr
    path.write_text(base + "insurrer: {name: x}\n", encoding="utf-8")
    result = idi("generate", "--stage", "claims", "--data", path, "-o", tmp_path / "o")
    assert "insurrer 不是任何可生成文书使用的数据" in result.stderr


def test_stage_usage_errors(tmp_path, idi):
    data = SAMPLES / "project-beijing.yaml"
    unknown = idi("generate", "--stage", "later", "--data", data, "-o", tmp_path, check=False)
    assert unknown.returncode == 2 and "未知的阶段 “later”" in unknown.stderr and "pre-cover" in unknown.stderr
    both = idi("generate", "owner-notice", "--stage", "completion", "--data", data, "-o", tmp_path, check=False)
    assert both.returncode == 2 and "不能同时指定 TYPE" in both.stderr
    no_dir = idi("generate", "--stage", "completion", "--data", data, check=False)
    assert no_dir.returncode == 2 and "请用 -o 指定输出文件夹" in no_dir.stderr
    assert all(f"{stage} {title.split('（')[0]}" in STAGE_HELP for stage, title in catalogue.STAGES.items())


def test_checker_reads_the_same_record(tmp_path, idi):
    """`idi check --project` compares insurer and phones against the record the packet used."""
    packet = packets.generate_packet(record("shanghai"), "completion", tmp_path)
    warranty = written(packet, "quality-warranty-insurance-section")[0]
    changed = tmp_path / "other.yaml"
    text = (SAMPLES / "project-shanghai.yaml").read_text(encoding="utf-8")
    changed.write_text(text.replace("phone: 021-33961234", "phone: 021-33969999")
                       .replace("supervision_phone: 021-64001999", "supervision_phone: 021-64008888"), encoding="utf-8")
    result = idi("check", warranty, "--project", changed, "--format", "json", check=False)
    findings = {f["rule"]: f for f in json.loads(result.stdout)["documents"][0]["findings"]}
    assert "021-33969999" in findings["shanghai-2025/insurer-contact"]["message"]
    assert "project.developer.supervision_phone" in findings["shanghai-2025/supervision-phone"]["message"]


def test_no_document_field_is_mistaken_for_a_record_key():
    """`is_record` tells a project record from one document's data by these keys."""
    for doc_type in docgen.list_types():
        assert not set(doc_type.model.model_fields) & {"name", "milestones", "documents", "owners"}, doc_type.id
