"""Strict YAML reading: duplicate keys are refused and every error names the file and line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when present
    """SafeLoader that refuses duplicate mapping keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的键 “{key}”", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings so that the schema validates them and names the field of a bad one
# (PyYAML's own timestamp parsing raises a bare ValueError with no location).
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_text(text: str, source: str, error: type[Exception] = InputError) -> Any:
    """Parse YAML text; `source` names the file in error messages."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        raise error(f"{source}：YAML 格式错误（{where}）：{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise error(f"{source}：YAML 格式错误：{exc}") from None


def load_yaml_file(path: Path | str, error: type[Exception] = InputError) -> Any:
    """Read and parse a YAML file, reporting unreadable files as clear errors."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}：文件不存在") from None
    except UnicodeDecodeError:
        raise error(f"{path}：不是 UTF-8 编码的文本文件") from None
    except OSError as exc:
        raise error(f"{path}：无法读取（{exc.strerror}）") from None
    return load_yaml_text(text, str(path), error)
