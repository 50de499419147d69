"""Round trip: every document docgen produces of a kind the checkers know passes its own checks."""
import pytest

import docgen
from checkers.check import check_file

CHECKED = [(t.id, pack.id) for t in map(docgen.get_type, (t.id for t in docgen.list_types()))
           if t.checked_as for pack in t.packs()]


@pytest.mark.parametrize("type_id, pack_id", CHECKED)
def test_generated_document_passes_the_checkers(tmp_path, type_id, pack_id):
    doc_type = docgen.get_type(type_id)
    pack = next(p for p in doc_type.packs() if p.id == pack_id)
    out = docgen.render(type_id, doc_type.example(pack), pack, tmp_path / f"{type_id}.docx").path
    result = check_file(out)
    assert (result.kind, result.jurisdiction, result.error) == (doc_type.checked_as, pack_id, None)
    assert bool(result.findings) == bool(pack.clauses_for(doc_type.checked_as))
    failing = [(f.rule, f.status, f.message) for f in result.findings if f.status not in ("pass", "not-applicable")]
    assert failing == []
