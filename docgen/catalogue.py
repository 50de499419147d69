"""The catalogue: every document type a regulation mandates or names, generated or not yet.

An entry is a document id shared across packs (`owner-notice`, `denial-notice` …) with the packs
and articles behind it, who issues it to whom and when, and the project stage it belongs to (for
stage packets). Types that have a template are `available`; the others are listed as 模板待建 so
the catalogue is complete from the day the packs name them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from corpus.packs import all_packs

from .types import DocumentType, Mandate, registry

# Project stages, in order, for packets of documents due together.
STAGES = {
    "underwriting": "承保",
    "pre-construction": "开工前",
    "construction": "施工",
    "completion": "竣工交付",
    "pre-cover": "保险责任开始前",
    "claims": "理赔",
    "ongoing": "常设（不限阶段）",
}

# The stage of every document id any pack names (a test fails when a pack adds one not listed).
DOCUMENT_STAGES = {
    "quotation-letter": "underwriting",
    "insurance-contract": "underwriting",
    "coinsurance-agreement": "underwriting",
    "risk-management-contract": "underwriting",
    "risk-management-authorization": "underwriting",
    "risk-assessment-plan": "underwriting",
    "claims-plan": "underwriting",
    "emergency-plan": "underwriting",
    "participant-notice": "underwriting",
    "developer-insurer-agreement": "underwriting",
    "buyer-consent": "underwriting",
    "briefing-minutes": "pre-construction",
    "preliminary-risk-analysis": "pre-construction",
    "risk-management-plan": "pre-construction",
    "work-inspection-plan": "pre-construction",
    "design-risk-report": "pre-construction",
    "process-inspection-report": "construction",
    "rectification-reply": "construction",
    "test-plan": "construction",
    "sales-contract-commitment": "construction",
    "final-risk-report": "completion",
    "household-inspection-report": "completion",
    "pre-viewing-report": "completion",
    "owner-notice": "completion",
    "coverage-statement": "completion",
    "quality-warranty-insurance-section": "completion",
    "joint-inspection-notice": "completion",
    "owner-announcement": "pre-cover",
    "claims-briefing-minutes": "pre-cover",
    "revisit-notice": "pre-cover",
    "fund-replenishment-agreement": "pre-cover",
    "denial-notice": "claims",
    "determination-notice": "claims",
    "dispute-appraisal-application": "claims",
    "subrogation-notice": "claims",
    "fund-repair-application": "claims",
    "claims-procedure": "claims",
    "claims-procedure-rules": "claims",
    "platform-report": "ongoing",
}


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    aliases: tuple[str, ...]
    stage: str
    available: bool
    mandates: tuple[Mandate, ...]

    @property
    def status(self) -> str:
        return "可生成" if self.available else "模板待建"

    def mandate(self, pack_id: str) -> Optional[Mandate]:
        return next((m for m in self.mandates if m.pack.id == pack_id), None)

    def as_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "aliases": list(self.aliases),
            "stage": self.stage, "stage_title": STAGES[self.stage],
            "available": self.available, "status": self.status,
            "mandates": [m.as_json() for m in self.mandates],
        }


def implemented() -> dict[str, DocumentType]:
    return registry()


def implemented_types() -> list[DocumentType]:
    order = {e.id: i for i, e in enumerate(entries())}
    return sorted(registry().values(), key=lambda t: order[t.id])


def entries() -> list[Entry]:
    """Every document type, by stage, then by the first pack and article naming it."""
    types = registry()
    ids = list(dict.fromkeys([d.id for p in all_packs() for d in p.documents] + list(types)))
    found = [_entry(doc_id, types.get(doc_id)) for doc_id in ids]
    stage_order = list(STAGES)
    return sorted(found, key=lambda e: (stage_order.index(e.stage), ids.index(e.id)))


def entry(doc_id: str) -> Optional[Entry]:
    return next((e for e in entries() if e.id == doc_id), None)


def for_pack(pack_id: str) -> list[Entry]:
    return [e for e in entries() if e.mandate(pack_id)]


def _entry(doc_id: str, doc_type: Optional[DocumentType]) -> Entry:
    if doc_type is not None:
        mandates = tuple(doc_type.mandate(p) for p in doc_type.packs())
    else:
        mandates = tuple(Mandate(p, d.cite, d.title, d.issuer, d.recipient, d.when, d.event, d)
                         for p in all_packs() for d in p.documents if d.id == doc_id)
    titles = [m.title for m in mandates]
    aliases = tuple(dict.fromkeys(a for m in mandates if m.document for a in (m.title, *m.document.aliases)))
    title = doc_type.title if doc_type else min(titles, key=len)  # the least city-specific
    stage = doc_type.stage if doc_type else DOCUMENT_STAGES.get(doc_id, "ongoing")
    return Entry(doc_id, title, tuple(a for a in aliases if a != title), stage, doc_type is not None, mandates)
