"""How bitext declares its options: MkDocs ``Config`` classes, strict about names.

Each stage declares the options it reads next to its code (``links.config``,
``translate.qa.config``) as Material's and mkdocs-static-i18n's plugins do;
``site.plugin.config.BitextConfig`` gathers them under the plugin's entry.
``mkdocs build`` validates them, and the commands validate the same classes
from mkdocs.yml without a build (``validate``), so a misspelt option is an
error naming it in both.  MkDocs itself only warns about an unknown name;
``Options`` makes it an error, since an option silently ignored is a check
silently not done.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar

from mkdocs.config.base import BaseConfigOption, Config, ConfigErrors, ConfigWarnings, ValidationError

from bitext.core.errors import BitextError
from bitext.core.severity import Severity
from bitext.project import settings

_C = TypeVar("_C", bound=Config)
# How MkDocs' SubConfig names the inner option a message is about.
_SUB_OPTION = re.compile(r"Sub-option '([^']*)': ")


class Options(Config):
    """A ``Config`` whose unknown option names are errors; ``prefix`` is how messages call it (``links.http``)."""

    prefix = ""

    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        failed, warnings = super().validate()
        unknown = sorted(set(self.keys()) - self._schema_keys)
        failed += [(key, ValidationError(f"unknown {self.prefix} option {key!r}")) for key in unknown]
        return failed, [(key, message) for key, message in warnings if key in self._schema_keys]


class SeverityMap(BaseConfigOption[dict[str, Severity]]):
    """A mapping of finding kinds to severities (``{glossary: off}``); a kind not in ``names()`` is an error.

    ``names`` is called when the option is validated, so the kinds may be registered after it is declared.
    """

    def __init__(self, kind: str, names: Callable[[], Collection[str]]) -> None:
        super().__init__()
        self.default: dict[str, Severity] = {}
        self.kind, self.names = kind, names

    def run_validation(self, value: object) -> dict[str, Severity]:
        if not isinstance(value, dict):
            raise ValidationError(f"must map each {self.kind} to a severity")
        known = self.names()
        levels = {}
        for name, level in value.items():
            if name not in known:
                raise ValidationError(f"unknown {self.kind} {name!r} (known: {', '.join(sorted(known))})")
            try:
                levels[name] = Severity.parse(level)
            except ValueError as exc:
                raise ValidationError(f"{name}: {exc}") from None
        return levels


def validate(
    config_class: type[_C], options: dict[str, Any], display: str, text: str, within: Sequence[str] = ()
) -> _C:
    """``options`` loaded into ``config_class`` and validated as MkDocs validates a plugin's entry.

    A bad option raises BitextError at ``display:line`` naming the option: the
    line of the option in ``text``, the YAML it came from, looked for under
    the keys ``within`` (``plugins``, ``bitext``).
    """
    config = config_class(config_file_path=display)
    config.load_dict(options)
    failed, _ = config.validate()
    if not failed:
        return config
    key, error = failed[0]
    path, message = [key], str(error)
    while m := _SUB_OPTION.match(message):
        path.append(m.group(1))
        message = message[m.end() :]
    if f"'{path[-1]}'" not in message:
        message = f"{'.'.join(path)}: {message}"
    raise BitextError.at(display, _line(text, [*within, *path], message), message, "config")


def _line(text: str, path: list[str], message: str) -> int:
    """The line of the innermost of ``path``'s keys (each looked for after the one before), or of the
    value the message quotes when it follows; 1 when none is found."""
    pos = 0
    for key in path:
        found = settings.key_position(text, key, pos)
        if found is None:
            break
        pos = found
    quoted = re.search(r"'([^']+)'", message)
    if quoted and pos:
        found = text.find(quoted.group(1), pos)
        pos = found if found != -1 else pos
    return text.count("\n", 0, pos) + 1


def defaults(config_class: type[_C]) -> _C:
    """``config_class`` with every option at its default (sub-options included), as a build without them sees it."""
    return validate(config_class, {}, "", "")
