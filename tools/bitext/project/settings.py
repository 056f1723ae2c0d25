"""The ``bitext`` plugin's options in the project's ``mkdocs.yml``, read without MkDocs.

Commands keep their settings where the site keeps them, under the plugin's
entry (``check:``, ``links:`` ...), so ``bitext check`` and ``mkdocs build``
read one configuration: ``read`` gives the file, and the options are then
validated by the same ``Config`` classes a build uses
(``bitext.site.plugin.config.load``).  MkDocs YAML carries tags a safe loader refuses:
``!ENV`` is resolved as MkDocs resolves it (pyyaml-env-tag), ``INHERIT`` is
merged as MkDocs merges it (mergedeep), and any other tag (``!relative``,
``!!python/name:...``) is read as its plain value, since no bitext option
needs it.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mergedeep
import yaml
from yaml_env_tag import construct_env_tag

from bitext.core.errors import BitextError
from bitext.core.files import read_text
from bitext.core.guard import DEFAULT_EXTENSIONS

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
PLUGIN = "bitext"


class _Loader(yaml.SafeLoader):
    """A safe loader that reads MkDocs' own tags instead of failing on them."""


def _plain(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None


_Loader.add_constructor("!ENV", construct_env_tag)
_Loader.add_multi_constructor("!", _plain)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _plain)


class _NamesLoader(_Loader):
    """Also resolves ``!!python/name:`` as MkDocs does: extension options name functions
    (``emoji_index``, ``slugify``); mkdocs.yml is the writers' trusted configuration."""


def _python_name(loader: _NamesLoader, suffix: str, node: yaml.Node) -> Any:
    module, _, attribute = suffix.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError, ValueError):
        raise yaml.constructor.ConstructorError(None, None, f"cannot import {suffix}", node.start_mark) from None


# Ahead of the plain reading of every python/ tag: the first matching prefix wins.
_NamesLoader.yaml_multi_constructors = {
    "tag:yaml.org,2002:python/name:": _python_name,
    **_Loader.yaml_multi_constructors,
}


@dataclass(frozen=True)
class ConfigFile:
    """A project's mkdocs.yml as read: its options (``INHERIT`` merged) and its own text, for line numbers."""

    display: str  # as messages name it
    text: str
    data: dict

    @property
    def plugin_options(self) -> dict:
        """The options of the ``bitext`` plugin entry, as written."""
        return plugin_options(self.data)


def read(root: Path) -> ConfigFile | None:
    """The MkDocs configuration of the project at ``root``, or None when it has none."""
    path = find_config(root)
    if path is None:
        return None
    return ConfigFile(path.name, read_text(path, path.name), load(path, path.name))


def find_config(root: Path) -> Path | None:
    """The MkDocs configuration file of the project at ``root``, if it has one."""
    for name in CONFIG_NAMES:
        path = Path(root) / name
        if path.is_file():
            return path
    return None


def load(path: Path, display: str | None = None, _seen: frozenset[Path] = frozenset(), loader: type = _Loader) -> dict:
    """The configuration in ``path`` with its ``INHERIT`` parents merged in, as MkDocs does."""
    display = display or str(path)
    try:
        data = yaml.load(read_text(path, display), Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BitextError.at(display, mark.line + 1 if mark else 1, f"not valid YAML: {exc}", "config") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BitextError.at(display, 1, "the configuration is not a mapping of options", "config")
    parent = data.pop("INHERIT", None)
    if parent:
        parent_path = (path.parent / str(parent)).resolve()
        if parent_path in _seen or not parent_path.is_file():
            what = "inherits from itself" if parent_path in _seen else f"INHERIT file {parent} not found"
            raise BitextError.at(display, 1, what, "config")
        base = load(parent_path, str(parent_path), _seen | {path.resolve()}, loader)
        data = mergedeep.merge(base, data)
    return data


def plugins(config: dict) -> dict[str, dict]:
    """The plugins ``config`` lists, each with its options (``{}`` when listed without options).

    ``plugins`` is a list of names and one-key mappings, or a mapping.
    """
    listed = config.get("plugins") or []
    entries = (
        listed.items()
        if isinstance(listed, dict)
        else (next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None) for p in listed)
    )
    found: dict[str, dict] = {}
    for name, options in entries:
        if isinstance(name, str):
            found.setdefault(name, options if isinstance(options, dict) else {})
    return found


def plugin_options(config: dict, name: str = PLUGIN) -> dict:
    """The options given to plugin ``name`` (``{}`` when it is listed without options or not at all)."""
    return plugins(config).get(name, {})


def key_position(text: str, key: str, start: int = 0) -> int | None:
    """Where the line of ``key:`` starts in the text of mkdocs.yml, at or after ``start``; None when it is not there."""
    m = re.compile(rf"^[ \t-]*['\"]?{re.escape(key)}['\"]?[ \t]*:", re.M).search(text, start)
    return m.start() if m else None


def key_line(text: str, key: str) -> int:
    """The line of ``key:`` in the text of mkdocs.yml, for messages (1 when it cannot be found)."""
    pos = key_position(text, key)
    return text.count("\n", 0, pos) + 1 if pos is not None else 1


def markdown(root: Path) -> tuple[list[str], dict[str, dict]]:
    """The ``markdown_extensions`` of the project's mkdocs.yml: names, and options by name.

    ``(DEFAULT_EXTENSIONS, {})`` when the project has no configuration, as a
    site made by ``bitext new`` renders.
    """
    path = find_config(root)
    listed = load(path, path.name, loader=_NamesLoader).get("markdown_extensions") if path is not None else None
    if listed is None:
        return list(DEFAULT_EXTENSIONS), {}
    entries = (
        listed.items()
        if isinstance(listed, dict)
        else (next(iter(e.items())) if isinstance(e, dict) and len(e) == 1 else (e, None) for e in listed)
    )
    names: list[str] = []
    options: dict[str, dict] = {}
    for name, value in entries:
        if isinstance(name, str):
            names.append(name)
            if isinstance(value, dict):
                options[name] = value
    if "attr_list" not in names:
        names.append("attr_list")  # the bitext plugin adds it (the home page's heading ids)
    return names, options
