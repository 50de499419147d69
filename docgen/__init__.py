"""Document generation for residential inherent-defects insurance (住宅工程质量潜在缺陷保险).

Library API (no CLI here; the `idi` shell and a web app compose it):

    list_types()                       the document types that can be generated
    get_type(id)                       DocumentType: id, title, model (pydantic), json_schema(),
                                       example(pack), example_text(pack), packs()
    example(id, pack=None) -> dict     a complete example data set (YAML text: example_text)
    validate(id, data) -> model        InputError listing every invalid or missing field in Chinese
    render(id, data, pack, out_path, *, draft=False, template=None) -> RenderResult(path, warnings)
    render_pdf(id, data, pack, out_path, *, draft, template, pdfa) -> RenderResult   through LibreOffice
    prepare(id, pack, template) -> Generator   prepared once, `.render(data, out)` many times
    check_template(path, id)           TemplateReport(unknown, missing)
    catalogue.entries()                every document the regulations mandate or name
    read_properties(path)              the idi-* properties a generated document records
    document_text(path)                its text in reading order (paragraphs and table rows)
"""
from .bulk import render_pdf
from .catalogue import entries as catalogue_entries
from .engine import TemplateProblem
from .readback import document_text, read_properties
from .render import (Generator, NotMandated, OutputExists, RenderResult, TemplateReport, UnknownDocumentType,
                     check_template, example, example_text, get_type, list_types, prepare, render, validate)
from .rules import RuleViolation

__all__ = [
    "Generator", "NotMandated", "OutputExists", "RenderResult", "RuleViolation", "TemplateProblem",
    "TemplateReport", "UnknownDocumentType", "catalogue_entries", "check_template", "document_text", "example",
    "example_text", "get_type", "list_types", "prepare", "read_properties", "render", "render_pdf", "validate",
]
