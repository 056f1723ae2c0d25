"""The ``bitext`` command line: a thin adapter over the library.

Exit status: 0 on success, 1 when an input had errors (reported as
``path:line: message``), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from . import importer, scaffold
from .compile import CompileReport, compile_article
from .errors import BitextError
from .files import atomic_write
from .model import Finding
from .project import Project


def _progress(desc: str):
    """A progress bar on a terminal, nothing when the output is a file or a pipe."""
    def wrap(items: Iterable) -> Iterable:
        if not sys.stderr.isatty():
            return items
        from tqdm import tqdm
        return tqdm(list(items), desc=desc, unit="file", leave=False)
    return wrap


def _report(findings: list[Finding]) -> None:
    for finding in findings:
        print(finding, file=sys.stderr)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def cmd_import_sxs(args) -> int:
    project = Project(args.root)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"bitext import-sxs: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    result = importer.import_sxs(args.paths, project, language=args.lang, progress=_progress("import"))
    for path in result.skipped:
        print(f"skipped {path}: no sentence pairs")
    _report(result.findings)
    print(f"imported {_plural(result.articles, 'article')}: {_plural(result.segments, 'segment')} "
          f"+ {_plural(result.front_matter, 'front-matter unit')}, {_plural(result.assets, 'asset')}; "
          f"skipped {len(result.skipped)}; errors {result.errors}")
    return 1 if result.errors else 0


def cmd_compile(args) -> int:
    project = Project(args.root)
    findings: list[Finding] = []
    count = 0
    for rel, english, segments in _progress("compile")(project.each_article(args.lang, findings)):
        report = CompileReport(rel)
        xlf = project.display(project.segment_path(rel, args.lang))
        text = compile_article(english, segments, path=rel, xliff_path=xlf, report=report)
        findings.extend(report.findings)
        atomic_write(args.out / rel, text)
        count += 1
    _report(findings)
    errors = sum(1 for f in findings if f.severity == "error")
    print(f"compiled {_plural(count, 'article')} to {args.out}; errors {errors}")
    return 1 if errors else 0


def cmd_export_sxs(args) -> int:
    project = Project(args.root)
    result = importer.export_sxs(project, args.lang, args.out, progress=_progress("export"))
    _report(result.findings)
    errors = sum(1 for f in result.findings if f.severity == "error")
    print(f"exported {_plural(result.articles, 'article')} to {args.out}; errors {errors}")
    return 1 if errors else 0


def cmd_new(args) -> int:
    try:
        scaffold.new_site(args.dir, language=args.lang, site_name=args.name)
    except BitextError as exc:
        _report(exc.findings)
        return 1
    print(f"created a bilingual site in {args.dir} (English + {args.lang}); next: "
          f"bitext import-sxs PATH --root {args.dir} && mkdocs build -f {args.dir / 'mkdocs.yml'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bitext", description="Bilingual documentation: "
                                     "English Markdown + XLIFF segment files.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--root", type=Path, default=Path("."), help="project root (default: current folder)")
        p.set_defaults(func=func)
        return p

    p = sub.add_parser("new", help="create a ready bilingual site (mkdocs.yml, docs/en, locales, overrides)",
                       description="create a ready bilingual site (mkdocs.yml, docs/en, locales, overrides)")
    p.add_argument("dir", type=Path, metavar="DIR", help="folder of the new site (created if missing)")
    p.add_argument("--lang", default="ko", help="target language (BCP 47, default: ko)")
    p.add_argument("--name", help="site name (default: the folder's name)")
    p.set_defaults(func=cmd_new)

    p = command("import-sxs", cmd_import_sxs, "import Microsoft bilingual (sxs) Markdown files")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="bilingual file or folder of them")
    p.add_argument("--lang", help="language (BCP 47) of files without ms.contentlocale")

    p = command("compile", cmd_compile, "write the localized Markdown of every article")
    p.add_argument("--lang", required=True, help="language folder under locales/, e.g. ko")
    p.add_argument("--out", required=True, type=Path, help="output folder")

    p = command("export-sxs", cmd_export_sxs, "write bilingual (sxs) Markdown files")
    p.add_argument("--lang", required=True, help="language folder under locales/, e.g. ko")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
