"""The catalogue lists every document the regulations mandate or name, generated or not yet."""
from corpus.packs import all_packs
from docgen import catalogue

# The documents the issue names, by the packs' ids, with a pack and article each.
NAMED = {
    "quotation-letter": ("shanghai-2025", "第五条"),
    "briefing-minutes": ("hangzhou-2024", "工作指引 3.2"),
    "preliminary-risk-analysis": ("shanghai-2025", "第七条（二）"),
    "risk-management-plan": ("shanghai-2025", "第七条（二）"),
    "risk-management-authorization": ("hangzhou-2024", "第十一条"),
    "risk-assessment-plan": ("beijing-2019", "第十七条"),
    "process-inspection-report": ("jiyuan-2022", "第九条"),
    "final-risk-report": ("beijing-2019", "第十八条"),
    "design-risk-report": ("shanghai-2025", "第八条（一）"),
    "household-inspection-report": ("shanghai-2025", "第八条（三）"),
    "pre-viewing-report": ("shanghai-2025", "第八条（三）"),
    "test-plan": ("shanghai-2025", "第九条（五）1"),
    "owner-notice": ("jiyuan-2022", "第十条"),
    "coverage-statement": ("shanghai-2025", "第七条（五）"),
    "revisit-notice": ("shanghai-2025", "第七条（六）"),
    "claims-briefing-minutes": ("shanghai-2025", "第七条（七）"),
    "owner-announcement": ("shanghai-2025", "第九条（一）7"),
    "quality-warranty-insurance-section": ("shanghai-2025", "第九条（一）5"),
    "sales-contract-commitment": ("shanghai-2025", "第九条（一）5"),
    "denial-notice": ("hangzhou-2024", "工作指引 4.3"),
    "dispute-appraisal-application": ("shanghai-2025", "第十五条"),
    "emergency-plan": ("beijing-2019", "第二十三条"),
    "participant-notice": ("hangzhou-2024", "第十条"),
    "subrogation-notice": ("shanghai-2025", "第十六条"),
    "coinsurance-agreement": ("beijing-2019", "第十五条"),
    "joint-inspection-notice": ("jiyuan-2022", "第四条"),
}


def test_every_named_document_is_catalogued_with_its_article():
    for doc_id, (pack_id, cite) in NAMED.items():
        entry = catalogue.entry(doc_id)
        assert entry is not None, doc_id
        mandate = entry.mandate(pack_id)
        assert mandate is not None and mandate.cite == cite, (doc_id, pack_id)
        assert mandate.issuer and mandate.recipient and mandate.when


def test_every_pack_document_is_catalogued_and_staged():
    ids = {e.id for e in catalogue.entries()}
    for pack in all_packs():
        for document in pack.documents:
            assert document.id in ids
            assert document.id in catalogue.DOCUMENT_STAGES, f"{pack.id}/{document.id} 没有阶段"
    assert set(catalogue.DOCUMENT_STAGES.values()) <= set(catalogue.STAGES)


def test_every_document_the_packs_name_can_be_generated():
    assert all(entry.available for entry in catalogue.entries())
    owner = catalogue.entry("owner-notice")
    assert owner.available and owner.stage == "completion"
    assert {m.pack.id for m in owner.mandates} == {"shanghai-2025", "hangzhou-2024", "beijing-2019", "jiyuan-2022"}
    assert "用户告知书" in owner.aliases


def test_implied_mandate_is_marked():
    beijing = catalogue.entry("coinsurance-agreement").mandate("beijing-2019")
    assert beijing.basis == "provision" and beijing.document is None
    assert catalogue.entry("coinsurance-agreement").mandate("hangzhou-2024").basis == "document"


def test_entries_for_a_pack():
    jiaxing = {e.id for e in catalogue.for_pack("jiaxing-2018")}
    assert jiaxing == {"insurance-contract", "claims-procedure", "platform-report"}
    json = catalogue.entry("denial-notice").as_json()
    assert json["stage_title"] == "理赔" and json["mandates"][0]["citation"]
