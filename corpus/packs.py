"""Finding, loading and choosing rule packs."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from .errors import PackError
from .schema import Pack
from .validation import format_validation_error
from .yamlio import load_yaml_file

PACK_DIR = Path(__file__).parent / "regulations"
SOURCE_DIR = Path(__file__).parent / "sources"


def load_pack(path: Path | str) -> Pack:
    """Load and validate one pack; every problem names the file and the path inside it."""
    path = Path(path)
    data = load_yaml_file(path, error=PackError)
    if not isinstance(data, dict):
        raise PackError(f"{path}：规则包的顶层应为键值映射")
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        raise PackError(format_validation_error(exc, str(path))) from None
    if pack.id != path.stem:
        raise PackError(f"{path}：id “{pack.id}” 与文件名 “{path.stem}” 不一致")
    return pack


@lru_cache(maxsize=1)
def all_packs() -> tuple[Pack, ...]:
    """Every pack shipped with the project, oldest first."""
    packs = [load_pack(p) for p in sorted(PACK_DIR.glob("*.yaml"))]
    return tuple(sorted(packs, key=lambda p: p.effective_from))


def source_text(pack: Pack) -> str:
    """The regulation's text the pack was encoded from."""
    return (SOURCE_DIR / pack.source.file).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Resolution:
    pack: Pack
    warning: str | None = None


def resolve_pack(name: str, on: date | None = None) -> Resolution:
    """A pack id, or a city name meaning the pack in force on `on` (default today).

    If none of the city's packs is in force then, the most recent one is returned with a warning.
    """
    on = on or date.today()
    key = name.strip().lower()
    packs = all_packs()
    for pack in packs:
        if pack.id == key:
            return Resolution(pack, _validity_warning(pack, on))
    city_packs = [p for p in packs if key in _city_keys(p)]
    if not city_packs:
        known = "、".join(f"{p.id}（{p.city}）" for p in packs)
        raise PackError(f"未知的规则包或城市 “{name}”。可用的规则包：{known}")
    in_force = [p for p in city_packs if p.in_force(on)]
    if in_force:
        return Resolution(in_force[-1])
    latest = city_packs[-1]
    return Resolution(latest, _validity_warning(latest, on))


def _city_keys(pack: Pack) -> set[str]:
    return {pack.city.lower(), pack.city_en, *(a.lower() for a in pack.aliases)}


def _validity_warning(pack: Pack, on: date) -> str | None:
    if pack.in_force(on):
        return None
    if on < pack.effective_from:
        return f"注意：{pack.id}（{pack.title}）自 {pack.effective_from} 起施行，{on} 时尚未生效。"
    return (f"注意：{pack.id}（{pack.title}）已于 {pack.effective_to} 失效，"
            f"{on} 时不再有效；以下按该文件内容给出，仅供参考。")
