"""Document types: one small module each (input model, derived values, rules, template spec).

A type module defines `TYPE = DocumentType(...)`; `MODULES` below lists them. See
docgen/README.md for how to add one.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Optional

from corpus.packs import all_packs
from corpus.schema import MandatedDocument, Pack
from corpus.yamlio import load_yaml_text

from .. import derived
from ..authoring import TemplateBuilder
from ..rules import Finding, deadline_met, milestone_required
from ..schemas import DocumentData

EXAMPLES = Path(__file__).parents[1] / "examples"

MODULES = (
    "quotation_letter", "coinsurance_agreement", "briefing_minutes", "sales_contract", "final_risk_report",
    "owner_notice", "quality_warranty", "owner_announcement", "denial_notice",
    "risk_management_authorization", "coverage_statement", "revisit_notice",
    "claims_briefing_minutes", "dispute_appraisal_application", "participant_notice",
    "subrogation_notice", "joint_inspection_notice", "determination_notice",
    "fund_repair_application", "fund_replenishment_agreement", "buyer_consent",
    "developer_insurer_agreement", "risk_management_contract", "insurance_contract",
    "preliminary_risk_analysis", "risk_management_plan", "risk_assessment_plan",
    "process_inspection_report", "design_risk_report", "household_inspection_report", "pre_viewing_report",
    "test_plan", "emergency_plan", "work_inspection_plan", "claims_plan", "claims_procedure",
    "claims_procedure_rules", "platform_report", "rectification_reply",
)


@dataclass(frozen=True)
class Mandate:
    """Why a pack asks for a document: its own `documents:` entry, or (basis "provision") a
    provision or parameter that implies it where the pack lists no such document."""

    pack: Pack
    cite: str
    title: str
    issuer: str
    recipient: str
    when: str
    event: Optional[str] = None
    document: Optional[MandatedDocument] = None
    basis: str = "document"

    def as_json(self) -> dict:
        return {
            "pack": self.pack.id, "pack_title": self.pack.title, "city": self.pack.city,
            "cite": self.cite, "citation": self.pack.citation(self.cite), "title": self.title,
            "aliases": list(self.document.aliases) if self.document else [],
            "issuer": self.issuer, "recipient": self.recipient, "when": self.when,
            "event": self.event, "basis": self.basis,
            "elements": [e.model_dump() for e in self.document.elements] if self.document else [],
        }


@dataclass
class Job:
    """One document being generated: what the type's hooks see."""

    model: Any
    pack: Pack
    mandate: Mandate
    draft: bool = False
    base_dir: Path = field(default_factory=Path.cwd)

    @property
    def element_ids(self) -> list[str]:
        return [e.id for e in self.mandate.document.elements] if self.mandate.document else []


Hook = Callable[[Job], Any]


def _none(job: Job) -> list:
    return []


def deadline_requirements(job: Job) -> list[tuple[str, str]]:
    """Hook: the milestone the document's own deadline (its mandate's `event`) runs from, where missing."""
    return milestone_required(job.pack, job.mandate.event, derived.milestones(getattr(job.model, "project", None)))


def deadline_rules(job: Job) -> list[Finding]:
    """Hook: the document dated after its own deadline (or not before the event it must precede)."""
    return deadline_met(job.pack, job.mandate.event, job.model.date,
                        derived.milestones(getattr(job.model, "project", None)), "本文书日期")


@dataclass(frozen=True)
class DocumentType:
    id: str
    title: str
    summary: str
    model: type[DocumentData]
    spec: Callable[[TemplateBuilder], None]
    derive: Callable[[Job], dict]
    stage: str
    rules: Callable[[Job], list[Finding]] = _none
    requirements: Callable[[Job], list[tuple[str, str]]] = _none
    # Paths the template must use (checked by `idi templates check`).
    required: tuple[str, ...] = ()
    # Where an element's title is not printed verbatim: element id -> text that shows it.
    markers: dict[str, str] = field(default_factory=dict)
    # The checkers' document kind (corpus.schema.DOC_KINDS) whose clause requirements apply.
    checked_as: Optional[str] = None
    # Provisions/parameters implying this document where a pack lists none (id -> issuer, recipient).
    implied_by: tuple[str, ...] = ()
    default_parties: tuple[str, str, str] = ("", "", "")  # issuer, recipient, when (for implied mandates)

    # -- packs ----------------------------------------------------------------------------

    def mandate(self, pack: Pack) -> Optional[Mandate]:
        document = next((d for d in pack.documents if d.id == self.id), None)
        if document is not None:
            return Mandate(pack, document.cite, document.title, document.issuer, document.recipient,
                           document.when, document.event, document)
        items = {i.id: i for i in (*pack.provisions, *pack.parameters)}
        found = [items[i] for i in self.implied_by if i in items]
        if not found:
            return None
        issuer, recipient, when = self.default_parties
        return Mandate(pack, found[0].cite, self.title, issuer, recipient, when, basis="provision")

    def packs(self) -> list[Pack]:
        """Packs that mandate (or imply) this document, oldest first."""
        return [p for p in all_packs() if self.mandate(p) is not None]

    def default_pack(self, on: Optional[date] = None) -> Pack:
        on = on or date.today()
        packs = self.packs()
        in_force = [p for p in packs if p.in_force(on)]
        return (in_force or packs)[-1]

    # -- schema and examples ---------------------------------------------------------------

    def json_schema(self) -> dict:
        return self.model.model_json_schema()

    def example_text(self, pack: Optional[Pack] = None) -> str:
        """The example data file (YAML with comments) for `pack`, dated within the pack's validity."""
        pack = pack or self.default_pack()
        path = EXAMPLES / f"{self.id}@{pack.id}.yaml"
        if not path.exists():
            path = EXAMPLES / f"{self.id}.yaml"
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^pack:.*$", f"pack: {pack.id}", text, count=1)
        return shift_years_into(text, pack)

    def example(self, pack: Optional[Pack] = None) -> dict:
        pack = pack or self.default_pack()
        return load_yaml_text(self.example_text(pack), f"{self.id} 示例")

    @cached_property
    def template_bytes(self) -> bytes:
        from ..authoring import build_template
        return build_template(self.spec, self.title)


# ---------------------------------------------------------------------------------------------
# Examples are written once; for an older pack their dates move by whole years into its validity.

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def shift_years_into(text: str, pack: Pack) -> str:
    found = re.search(r"(?m)^date:\s*(\d{4}-\d{2}-\d{2})", text)
    if not found:
        return text
    day = date.fromisoformat(found.group(1))
    years = _years_into(day, pack)
    if not years:
        return text
    text = _ISO.sub(lambda m: _shift(m, years), text)
    return re.sub(r"〔(\d{4})〕", lambda m: f"〔{int(m.group(1)) + years}〕", text)


def _years_into(day: date, pack: Pack) -> int:
    for years in sorted(range(-30, 31), key=abs):
        if pack.in_force(derived.add_years(day, years)):
            return years
    return 0


def _shift(match: re.Match, years: int) -> str:
    day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return derived.add_years(day, years).isoformat()


# ---------------------------------------------------------------------------------------------
# Registry


_REGISTRY: dict[str, DocumentType] = {}


def registry() -> dict[str, DocumentType]:
    if not _REGISTRY:
        for name in MODULES:
            module = importlib.import_module(f"{__name__}.{name}")
            doc_type = module.TYPE
            _REGISTRY[doc_type.id] = doc_type
    return _REGISTRY
