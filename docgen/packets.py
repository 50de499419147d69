"""Stage packets: every document due at a project stage, for the project's city, from one project
record.

The project record is the project file `idi timeline` reads (corpus/samples/project-*.yaml),
extended with the data the documents share:

    pack: 上海                      # city or pack id; the pack in force when the policy was issued
    name: 浦江华庭住宅项目           # the project's name (project.name unless given there)
    milestones: {policy_issued: 2025-09-29, …}     # the timeline's; also project.milestones
    project: {address: …, housing_type: …, developer: {name: …, supervision_phone: …}, builder: …}
    insurer: {name: …, phone: …, claims_phone: …}
    policy: {number: …, scopes: […]}
    repair_unit: {name: …, phone: …}
    risk_manager: {name: …}
    owners: [{name: …, unit: …, phone: …}, …]    # optional: one notice per owner
    documents:                                  # per-document data, merged over the shared sections
      briefing-minutes: {date: 2025-10-30, meeting: {…}, quality_risks: […], …}
      owner-notice: {date: 2026-11-18}

A document's data is the record's top-level sections its type uses, with `documents.<type id>`
merged over them (mappings key by key, lists and values replaced), and `pack:` the record's pack.
A type with an optional per-owner section (the owner notice's `owner`) is written once per
entry of `owners:` when the record lists owners.

    load_record(path) / record_from(data, source, base_dir) -> ProjectRecord
    record.data_for(type_id) -> dict                the data of one document
    plan(record, stage, out_dir) -> [Task]          the stage's documents (模板待建 ones without data)
    generate_packet(record, stage, out_dir, …)      all or nothing: every problem of every document
                                                    in one error, before any file is written
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Union

from pydantic import ValidationError

from corpus.errors import InputError
from corpus.packs import resolve_pack
from corpus.schema import Pack
from corpus.timeline import ProjectFile
from corpus.validation import format_validation_error
from corpus.yamlio import load_yaml_file

from . import catalogue
from .bulk import Batch, Outcome, Task, deep_merge, owner_section, per_owner, safe_filename, unique_names
from .render import get_type

# Keys of the record itself (the timeline's, and the packet's own), not document data.
RECORD_KEYS = ("pack", "name", "milestones", "owners", "documents")
# Keys a record-level section may not set for every document (they differ per document).
PER_DOCUMENT = ("date", "doc_number")


class PacketIncomplete(InputError):
    """Some documents of a packet lack data or would breach the regulation; nothing was written."""


def is_record(data: Any) -> bool:
    """Whether `data` is a project record rather than one document's data."""
    return isinstance(data, dict) and any(key in data for key in ("milestones", "documents", "owners", "name"))


@dataclass
class ProjectRecord:
    data: dict
    pack: Pack
    source: str
    base_dir: Path
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> Optional[str]:
        return self.data.get("name") or (self.data.get("project") or {}).get("name")

    @property
    def documents(self) -> dict:
        return self.data.get("documents") or {}

    @property
    def owners(self) -> list[dict]:
        return self.data.get("owners") or []

    def data_for(self, type_id: str, owner: Optional[dict] = None) -> dict:
        """One document's data: the shared sections its type uses, its own section over them."""
        doc_type = get_type(type_id)
        fields = doc_type.model.model_fields
        shared = {k: copy.deepcopy(v) for k, v in self.data.items() if k in fields and k not in RECORD_KEYS}
        if "project" in fields:
            shared["project"] = self._project()
        data = deep_merge(shared, self.documents.get(type_id) or {})
        data["pack"] = self.pack.id
        if owner is not None:
            data[owner_section(doc_type)] = copy.deepcopy(owner)
        return data

    def _project(self) -> Any:
        project = copy.deepcopy(self.data.get("project") or {})
        if not isinstance(project, dict):
            return project  # the type's model says what is wrong with it
        if self.data.get("name"):
            project.setdefault("name", self.data["name"])
        milestones = {**(self.data.get("milestones") or {}), **(project.get("milestones") or {})}
        if milestones:
            project["milestones"] = milestones
        return project


def load_record(path: Union[Path, str], jurisdiction: Optional[str] = None) -> ProjectRecord:
    path = Path(path)
    return record_from(load_yaml_file(path), str(path), path.resolve().parent, jurisdiction)


def record_from(data: Any, source: str, base_dir: Path, jurisdiction: Optional[str] = None) -> ProjectRecord:
    """Check the record's own parts and resolve its pack as the timeline does (on the policy date)."""
    if not isinstance(data, dict):
        raise InputError(f"{source}：项目文件的顶层应为键值映射（pack:、name:、milestones: …）")
    try:
        timeline_part = ProjectFile.model_validate({k: data[k] for k in ("pack", "name", "milestones") if k in data})
    except ValidationError as exc:
        raise InputError(format_validation_error(exc, source)) from None
    _check_sections(data, source)
    resolution = resolve_pack(jurisdiction or timeline_part.pack, timeline_part.milestones.get("policy_issued"))
    warnings = [resolution.warning] if resolution.warning else []
    warnings += _unused_keys(data, source)
    return ProjectRecord(data, resolution.pack, source, base_dir, warnings)


def _check_sections(data: dict, source: str) -> None:
    documents = data.get("documents") or {}
    if not isinstance(documents, dict) or not all(isinstance(v, dict) for v in documents.values() if v):
        raise InputError(f"{source}：documents 应为 “文书 id: 该文书的数据” 的映射")
    known = {e.id for e in catalogue.entries()}
    unknown = [k for k in documents if k not in known]
    if unknown:
        raise InputError(f"{source}：documents 中的 {'、'.join(unknown)} 不是文书 id（idi docs list 列出全部文书）")
    owners = data.get("owners") or []
    if not isinstance(owners, list) or not all(isinstance(o, dict) for o in owners):
        raise InputError(f"{source}：owners 应为业主列表，每项写 name（姓名）、unit（户号）等")
    fixed = [k for k in PER_DOCUMENT if k in data]
    if fixed:
        raise InputError(f"{source}：{'、'.join(fixed)} 因文书而异，请写在 documents.<文书 id> 下")


def _unused_keys(data: dict, source: str) -> list[str]:
    used = {name for t in catalogue.implemented().values() for name in t.model.model_fields} | set(RECORD_KEYS)
    return [f"注意：{source} 中的 {key} 不是任何可生成文书使用的数据，已忽略（拼写错误？）"
            for key in data if key not in used]


# ---------------------------------------------------------------------------------------------
# Planning and generating a stage


def stage_entries(record: ProjectRecord, stage: str) -> list[catalogue.Entry]:
    if stage not in catalogue.STAGES:
        raise InputError(f"未知的阶段 “{stage}”；可用：{'、'.join(f'{k}（{v}）' for k, v in catalogue.STAGES.items())}")
    return [e for e in catalogue.for_pack(record.pack.id) if e.stage == stage]


def plan(record: ProjectRecord, stage: str, out_dir: Path) -> list[Task]:
    """The stage's documents for the record's pack: a task each (one per owner for per-owner
    types when the record lists owners); 模板待建 ones as tasks without data."""
    tasks: list[Task] = []
    for entry in stage_entries(record, stage):
        label = f"《{entry.mandate(record.pack.id).title}》（{entry.id}）"
        if not entry.available:
            tasks.append(Task(entry.id, label))
        elif record.owners and per_owner(get_type(entry.id)):
            tasks += _owner_tasks(record, entry.id, label, out_dir)
        else:
            tasks.append(Task(entry.id, label, out_dir / f"{entry.id}.docx", record.data_for(entry.id)))
    return tasks


def _owner_tasks(record: ProjectRecord, type_id: str, label: str, out_dir: Path) -> list[Task]:
    owners = record.owners
    names = unique_names([(safe_filename(o.get("name"), f"业主{i}"), f"业主{i}") for i, o in enumerate(owners, 1)])
    return [Task(type_id, f"{label} · {o.get('name') or f'业主{i}'}", out_dir / f"{type_id}-{name}.docx",
                 record.data_for(type_id, owner=o))
            for i, (o, name) in enumerate(zip(owners, names), 1)]


@dataclass
class Packet:
    record: ProjectRecord
    stage: str
    outcomes: list[Outcome]

    @property
    def warnings(self) -> list[str]:
        return [w for o in self.outcomes for w in o.warnings]


def generate_packet(record: ProjectRecord, stage: str, out_dir: Union[Path, str], *, draft: bool = False,
                    force: bool = False, pdf: bool = False,
                    progress: Optional[Callable[[Outcome], None]] = None) -> Packet:
    """Render every document of the stage; if any fails, raise one error listing all of them
    (nothing is written), else write them (existing files are skipped unless `force`)."""
    out_dir = Path(out_dir)
    batch = Batch(record.pack, draft=draft, force=force, pdf=pdf, base_dir=record.base_dir)
    outcomes = [batch.render(t) if t.data is not None else Outcome(t, "pending", "模板待建")
                for t in plan(record, stage, out_dir)]
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        raise PacketIncomplete(_failure_text(record, stage, failed, draft))
    for outcome in outcomes:
        batch.write(outcome)
        if progress:
            progress(outcome)
    return Packet(record, stage, outcomes)


def _failure_text(record: ProjectRecord, stage: str, failed: list[Outcome], draft: bool) -> str:
    head = (f"{record.source}：{catalogue.STAGES[stage]}阶段有 {len(failed)} 份文书不能生成，未写入任何文件"
            + ("" if draft else "（数据不全的可加 --draft 生成草稿，缺项标注【待补】）") + "：")
    parts = [head]
    for outcome in failed:
        parts.append(outcome.reason)
        if not outcome.refused:
            parts.append(f"  → 请在项目文件的共用部分或 documents.{outcome.task.type_id} 下补写或更正。")
    return "\n".join(parts)
