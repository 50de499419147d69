"""The template engine: escaping, strictness, drafts, sandboxing, template checks, photos, and
agreement with docxtpl's own rendering."""
import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate
from PIL import Image as PILImage

import docgen
from corpus.errors import InputError
from docgen.authoring import TemplateBuilder
from docgen.engine import _ENVIRONMENTS
from docgen.render import Job, build_context, choose_pack, validate

ROOT = Path(__file__).parents[1]


def user_template(path: Path, *texts: str) -> Path:
    builder = TemplateBuilder("测试模板")
    for text in texts:
        builder.para(text)
    path.write_bytes(builder.to_bytes())
    return path


def test_data_is_escaped(tmp_path):
    data = docgen.example("owner-notice")
    data["project"]["developer"]["name"] = "A&B<置业>"
    data["owner"]["name"] = "张三 & 李四 <共有>"
    result = docgen.render("owner-notice", data, out_path=tmp_path / "e.docx")
    text = docgen.document_text(result.path)
    assert "由建设单位A&B<置业>向" in text and "尊敬的张三 & 李四 <共有>" in text
    assert Document(str(result.path)).paragraphs


def test_control_characters_in_data_do_not_break_the_document(tmp_path):
    data = docgen.example("owner-notice")
    data["owner"]["name"] = "王\x07晓\x0c明"
    result = docgen.render("owner-notice", data, out_path=tmp_path / "c.docx")
    assert "尊敬的王晓明" in docgen.document_text(result.path)


def test_missing_value_is_an_error_naming_it_unless_draft(tmp_path):
    template = user_template(tmp_path / "t.docx", "保险公司地址：{{ insurer.address }}",
                             "{% if insurer.contact %}联系人：{{ insurer.contact }}{% endif %}")
    data = docgen.example("owner-notice")
    del data["insurer"]["address"]
    with pytest.raises(docgen.TemplateProblem) as caught:
        docgen.render("owner-notice", data, template=template)
    assert "insurer.address（保险公司 › 地址）" in str(caught.value) and "--draft" in str(caught.value)
    assert "insurer.contact" not in str(caught.value)  # guarded by its {% if %}
    result = docgen.render("owner-notice", data, out_path=tmp_path / "d.docx", draft=True, template=template)
    assert "保险公司地址：【待补】" in docgen.document_text(result.path)
    assert any("insurer.address" in w for w in result.warnings)


def test_draft_tolerates_missing_fields_and_carries_a_watermark(tmp_path):
    data = docgen.example("owner-notice")
    del data["policy"], data["insurer"]["phone"], data["insurer"]["claims_phone"]
    result = docgen.render("owner-notice", data, out_path=tmp_path / "draft.docx", draft=True)
    text = docgen.document_text(result.path)
    assert "保险单号为【待补】" in text and "报案电话：【待补】" in text
    assert docgen.read_properties(result.path)["idi-draft"] == "true"
    with zipfile.ZipFile(result.path) as archive:
        headers = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header")]
    assert headers and all('string="草稿"' in h for h in headers)
    Document(str(result.path))  # still a valid document
    with pytest.raises(InputError):
        docgen.render("owner-notice", data)


def test_watermark_is_added_to_a_template_without_header(tmp_path):
    from docx import Document as NewDocument
    path = tmp_path / "plain.docx"
    document = NewDocument()
    document.add_paragraph("{{ insurer.name }}")
    document.save(path)
    result = docgen.render("owner-notice", docgen.example("owner-notice"), out_path=tmp_path / "w.docx",
                           draft=True, template=path)
    reopened = Document(str(result.path))
    header_xml = reopened.sections[0].header._element.xml
    assert "IdiDraftWatermark" in header_xml


def test_user_templates_are_sandboxed(tmp_path):
    template = user_template(tmp_path / "evil.docx", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(docgen.TemplateProblem, match="不安全"):
        docgen.render("owner-notice", docgen.example("owner-notice"), template=template)


def test_bad_template_syntax_and_non_docx_are_clear_errors(tmp_path):
    template = user_template(tmp_path / "bad.docx", "{% if project.name %}未闭合")
    with pytest.raises(docgen.TemplateProblem, match="语法错误"):
        docgen.check_template(template, "owner-notice")
    not_docx = tmp_path / "x.docx"
    not_docx.write_text("hello")
    with pytest.raises(docgen.TemplateProblem, match="不是有效的 .docx"):
        docgen.check_template(not_docx, "owner-notice")


def test_template_check_lists_unknown_and_missing_variables(tmp_path):
    template = user_template(tmp_path / "t.docx", "{{ insurer.name }}，{{ insurer.fax }}，{{ projekt.name }}",
                             "{%p for a in meeting.attendees %}", "{{ a.name }}{{ a.wechat }}", "{%p endfor %}")
    report = docgen.check_template(template, "briefing-minutes")
    assert report.unknown == ["insurer.fax", "meeting.attendees[].wechat", "projekt.name"]
    assert "quality_risks" in report.missing and "meeting.attendees" not in report.missing
    for doc_type in docgen.list_types():
        shipped = docgen.check_template(ROOT / "templates" / f"{doc_type.id}.docx", doc_type.id)
        assert shipped.ok, (doc_type.id, shipped)


def test_properties_are_written_for_a_user_template_too(tmp_path):
    template = user_template(tmp_path / "t.docx", "{{ insurer.name }}")
    result = docgen.render("owner-notice", docgen.example("owner-notice"), out_path=tmp_path / "p.docx",
                           template=template)
    props = docgen.read_properties(result.path)
    assert props["idi-template-sha256"] == result.template_sha256 != docgen.read_properties(
        docgen.render("owner-notice", docgen.example("owner-notice"), out_path=tmp_path / "q.docx").path
    )["idi-template-sha256"]


def test_defect_photos_are_embedded(tmp_path):
    PILImage.new("RGB", (120, 90), (180, 180, 180)).save(tmp_path / "d01.png")
    data = docgen.example("final-risk-report")
    data["defects"][0]["photo"] = "d01.png"
    data["defects"][2]["photo"] = str(tmp_path / "d01.png")
    result = docgen.render("final-risk-report", data, out_path=tmp_path / "r.docx", base_dir=tmp_path)
    document = Document(str(result.path))
    assert len(document.inline_shapes) == 2
    with zipfile.ZipFile(result.path) as archive:
        assert sum(n.startswith("word/media/") for n in archive.namelist()) == 2
    data["defects"][1]["photo"] = "missing.jpg"
    with pytest.raises(InputError, match=r"defects\[1\].photo.*照片文件不存在"):
        docgen.render("final-risk-report", data, base_dir=tmp_path)


def test_prepared_engine_agrees_with_docxtpl():
    """The prepared path fills the template as docxtpl does (same text, paragraph by paragraph)."""
    doc_type = docgen.get_type("owner-notice")
    data = docgen.example("owner-notice")
    model = validate(doc_type.id, data)
    pack, mandate, _ = choose_pack(doc_type, None, model)
    context = build_context(doc_type, Job(model, pack, mandate))
    ours = docgen.render(doc_type.id, data).content
    template = DocxTemplate(str(ROOT / "templates" / "owner-notice.docx"))
    template.render(context, _ENVIRONMENTS[False], autoescape=True)
    theirs = io.BytesIO()
    template.save(theirs)
    text = [[p.text for p in Document(io.BytesIO(b)).paragraphs] for b in (ours, theirs.getvalue())]
    assert text[0] == text[1]


def test_generator_renders_many_and_never_overwrites(tmp_path):
    generator = docgen.prepare("owner-notice", "hangzhou-2024")
    data = docgen.example("owner-notice", "hangzhou-2024")
    for i in range(3):
        data["owner"] = {"name": f"业主{i}", "unit": f"{i + 1}幢101室"}
        generator.render(data, tmp_path / f"{i}.docx")
    assert "尊敬的业主2（3幢101室）" in docgen.document_text(tmp_path / "2.docx")
    with pytest.raises(docgen.OutputExists, match="--force"):
        generator.render(data, tmp_path / "2.docx")
    generator.render(data, tmp_path / "2.docx", force=True)


def test_committed_templates_are_current():
    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "scripts" / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.stale() == [], "模板已过期，请运行 python scripts/build_templates.py"


@pytest.mark.parametrize("type_id", [t.id for t in docgen.list_types()])
def test_a_draft_renders_from_almost_nothing(type_id):
    doc_type = docgen.get_type(type_id)
    for pack in doc_type.packs():
        result = docgen.render(type_id, {"pack": pack.id}, draft=True)
        text = "\n".join(p.text for p in Document(io.BytesIO(result.content)).paragraphs)
        assert "【待补】" in text and result.warnings
