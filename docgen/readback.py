"""Reading a generated document back: its text in reading order and its idi properties."""
from __future__ import annotations

from pathlib import Path
from typing import Union

from docx import Document
from docx.oxml.ns import qn

from .engine import read_properties

__all__ = ["document_text", "paragraphs", "read_properties"]


def paragraphs(path: Union[Path, str]) -> list[str]:
    """Body paragraphs and table rows (cells joined by ' | ') in document order."""
    body = Document(str(path)).element.body
    lines: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_text(child))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                lines.append(" | ".join(_text(cell) for cell in row.iter(qn("w:tc"))))
    return lines


def document_text(path: Union[Path, str]) -> str:
    return "\n".join(line for line in paragraphs(path) if line.strip())


def _text(element) -> str:
    return "".join(node.text or "" for node in element.iter(qn("w:t")))
