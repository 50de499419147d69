"""What a check reports: findings per requirement and a result per document."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

STATUSES = ("pass", "fail", "warn", "not-applicable")


@dataclass(frozen=True)
class Evidence:
    page: int | None
    clause: str
    text: str  # quoted from the document as extracted (before normalisation)
    # Set when the quoted text was recognised from a scanned page (OCR): the lowest confidence of
    # the recognised lines it rests on (0..1), and where those lines are on the page, as fractions
    # of its width and height (x0, y0, x1, y1; origin top left).
    ocr_confidence: float | None = None
    box: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if self.box is not None and not isinstance(self.box, tuple):  # from JSON: a list
            object.__setattr__(self, "box", tuple(self.box))


@dataclass
class Finding:
    rule: str  # "<pack id>/<clause id>"
    title: str
    status: str  # one of STATUSES
    message: str  # Chinese: what is wrong (or right), and where
    citation: str  # document number and article
    requirement: str  # the article's words, so a reviewer need not open the regulation
    level: str  # mandatory | recommended
    evidence: list[Evidence] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class DocumentResult:
    path: Path
    kind: str | None = None
    jurisdiction: str | None = None
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. how the kind/city were decided
    pages: int = 0

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        return "fail" if any(f.status == "fail" for f in self.findings) else "pass"

    def as_json(self) -> dict:
        return {
            "path": str(self.path),
            "kind": self.kind,
            "jurisdiction": self.jurisdiction,
            "status": self.status,
            "error": self.error,
            "pages": self.pages,
            "notes": self.notes,
            "findings": [f.as_json() for f in self.findings],
        }
