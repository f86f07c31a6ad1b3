"""Read a configuration file: YAML with line numbers, duplicate keys refused, env overrides.

Errors name the file, the line and the key path (``routes[2].policies[1].rate_limit.rate``) and say
what was expected. ``BASTION__SECTION__KEY=value`` environment variables override the file (two
underscores after ``BASTION`` and between levels; values are parsed as YAML scalars).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bastion.config.models import GatewayConfig
from bastion.errors import ConfigError

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PathKey = tuple[str | int, ...]


@dataclass
class LoadedConfig:
    config: GatewayConfig
    file: Path
    raw: dict[str, Any]
    lines: dict[PathKey, int] = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        return self.file.parent

    def line_of(self, path: PathKey) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def format_path(path: PathKey) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def parse_path(text: str) -> PathKey:
    """Inverse of ``format_path`` for error paths coming back from compile steps."""
    out: list[str | int] = []
    for part in text.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("[") and part.endswith("]") and part[1:-1].isdigit():
            out.append(int(part[1:-1]))
        else:
            out.append(part)
    return tuple(out)


def _construct(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], file: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if not isinstance(key, str | int):
                raise ConfigError(format_path(path), "mapping keys must be strings", file=file,
                                  line=key_node.start_mark.line + 1)
            key = str(key)
            if key in result:
                raise ConfigError(format_path((*path, key)), "duplicate key", file=file,
                                  line=key_node.start_mark.line + 1)
            result[key] = _construct(value_node, (*path, key), lines, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, (*path, i), lines, file) for i, v in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    loader = _Loader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def load_yaml(text: str, file: str) -> tuple[Any, dict[PathKey, int]]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError("", f"invalid YAML: {problem}", file=file, line=line) from None
    lines: dict[PathKey, int] = {}
    if node is None:
        return {}, lines
    return _construct(node, (), lines, file), lines


def apply_env_overrides(raw: dict[str, Any], environ: dict[str, str]) -> None:
    for name, value in environ.items():
        if not name.startswith("BASTION__"):
            continue
        keys = [k.lower() for k in name[len("BASTION__"):].split("__") if k]
        if not keys:
            continue
        target: Any = raw
        for k in keys[:-1]:
            target = target.setdefault(k, {}) if isinstance(target, dict) else None
            if target is None:
                break
        if isinstance(target, dict):
            target[keys[-1]] = yaml.load(value, Loader=_Loader)


def load_config(path: str | Path, environ: dict[str, str] | None = None) -> LoadedConfig:
    """Load and validate a gateway configuration file. Raises ConfigError, never a raw exception."""
    file = Path(path).resolve()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError("", f"cannot read configuration: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("", "configuration is not UTF-8 text", file=str(path)) from None
    raw, lines = load_yaml(text, str(path))
    if not isinstance(raw, dict):
        raise ConfigError("", "expected a mapping at the top level", file=str(path), line=1)
    apply_env_overrides(raw, dict(os.environ) if environ is None else environ)
    try:
        config = GatewayConfig.model_validate(raw)
    except ValidationError as exc:
        raise _to_config_error(exc, lines, str(path)) from None
    loaded = LoadedConfig(config, file, raw, lines)
    _validate_sections(loaded)
    return loaded


def _to_config_error(exc: ValidationError, lines: dict[PathKey, int], file: str, prefix: PathKey = ()) -> ConfigError:
    err = exc.errors(include_url=False, include_input=False)[0]
    loc: PathKey = (*prefix, *(p for p in err["loc"] if isinstance(p, str | int)))
    msg = str(err["msg"])
    # model-level validators report nested paths inside the message: "routes[1].upstream: ..."
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    head, sep, rest = msg.partition(": ")
    if sep and (head.startswith(("routes[", "listeners[")) or "." in head) and " " not in head:
        loc = (*loc, *parse_path(head))
        msg = rest
    more = len(exc.errors()) - 1
    if more:
        msg += f" (and {more} more error{'s' if more > 1 else ''})"
    line = None
    probe = loc
    while probe:
        if probe in lines:
            line = lines[probe]
            break
        probe = probe[:-1]
    return ConfigError(format_path(loc), msg, file=file, line=line)


def _validate_sections(loaded: LoadedConfig) -> None:
    import importlib

    from bastion.config.sections import SECTIONS

    for key, target in SECTIONS.items():
        raw = loaded.raw.get(key)
        if raw is None:
            continue
        module_name, _, cls_name = target.partition(":")
        model = getattr(importlib.import_module(module_name), cls_name)
        try:
            model.model_validate(raw)
        except ValidationError as exc:
            raise _to_config_error(exc, loaded.lines, str(loaded.file), (key,)) from None


def error_at(loaded: LoadedConfig, exc: ConfigError) -> ConfigError:
    """Attach file and line to a ConfigError raised while compiling ``loaded``."""
    line = loaded.line_of(parse_path(exc.path)) if exc.path else None
    return ConfigError(exc.path, exc.msg, file=str(loaded.file), line=line)
