"""The ``bitext`` command line: a thin adapter over the library.

Exit status: 0 on success, 1 when an input had errors (reported as
``path:line: message``), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from bitext.core.errors import BitextError
from bitext.core.model import Finding, plural
from bitext.core.severity import Severity
from bitext.project.project import Project, is_language_tag, language_dir
from bitext.translate.qa import checks

# Each command imports the stages it runs when it runs: a command starts in a fraction of the
# time it takes to import every stage (and MkDocs' configuration, Jinja, the link checker ...).


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


def cmd_import_sxs(args) -> int:
    from bitext.project import importer

    project = Project.open(args.root)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"bitext import-sxs: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    if args.lang is not None and not is_language_tag(args.lang):
        print(f"bitext import-sxs: --lang {args.lang!r} is not a BCP 47 language tag", file=sys.stderr)
        return 2
    try:
        result = importer.import_sxs(
            args.paths, project, language=args.lang, force=args.force, progress=_progress("import")
        )
    except BitextError as exc:  # another command holds the project's write lock
        _report(exc.findings)
        return 1
    for path in result.skipped:
        kept = f"; a redirect stub, copied to {project.layout.source_dir}" if path in result.redirects else ""
        print(f"skipped {path}: no sentence pairs{kept}")
    _report(result.findings)
    print(
        f"imported {plural(result.articles, 'article')}: {plural(result.segments, 'segment')} "
        f"+ {plural(result.front_matter, 'front-matter unit')}, {plural(result.assets, 'asset')}; "
        f"skipped {len(result.skipped)}; errors {result.errors}"
    )
    return 1 if result.errors else 0


def cmd_compile(args) -> int:
    from bitext.core.compile import compile_report
    from bitext.core.files import atomic_write
    from bitext.project.sitefiles import SiteFiles

    project = Project.open(args.root)
    count = 0
    languages = _languages(project, [args.lang], "compile")
    if languages is None:
        return 2
    lang = languages[0]
    files = SiteFiles.read(project)
    findings = [f for found in files.unreadable.values() for f in found]
    for rel in _progress("compile")(sorted(set(files.texts) | set(files.stubs))):
        try:
            segments = project.read_segments(rel, lang)
        except BitextError as exc:
            findings.extend(exc.findings)
            continue
        xlf = project.display(project.segment_path(rel, lang))
        report = compile_report(files.markdown(rel), segments, path=rel, xliff_path=xlf)
        findings.extend(report.findings)
        try:
            atomic_write(args.out / rel, report.text, root=args.out)
        except BitextError as exc:
            findings.extend(exc.findings)
            continue
        count += 1
    _report(findings)
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    print(f"compiled {plural(count, 'article')} to {args.out}; errors {errors}")
    return 1 if errors else 0


def cmd_export_sxs(args) -> int:
    from bitext.project import importer

    project = Project.open(args.root)
    languages = _languages(project, [args.lang], "export-sxs")
    if languages is None:
        return 2
    result = importer.export_sxs(project, languages[0], args.out, progress=_progress("export"))
    _report(result.findings)
    errors = sum(1 for f in result.findings if f.severity == Severity.ERROR)
    print(f"exported {plural(result.articles, 'article')} to {args.out}; errors {errors}")
    return 1 if errors else 0


def cmd_update(args) -> int:
    from bitext.translate import update

    project = Project.open(args.root)
    bad = [lang for lang in args.lang if not is_language_tag(lang)]
    if bad:
        print(f"bitext update: --lang {bad[0]!r} is not a BCP 47 language tag", file=sys.stderr)
        return 2
    # A language without segment files yet is started: every article gets one.
    languages = list(dict.fromkeys(language_dir(lang) for lang in args.lang)) or project.languages()
    if not languages:
        print("bitext update: no language under locales/; pass --lang", file=sys.stderr)
        return 2
    errors = 0
    for lang in languages:
        try:
            result = update.update_language(project, lang, write=not args.dry_run, progress=_progress(f"update {lang}"))
        except BitextError as exc:  # another command holds the project's write lock
            _report(exc.findings)
            return 1
        for article in result.articles:
            if article.modified:
                print(f"{project.display(project.segment_path(article.path, lang))}: {article.summary()}")
        _report(result.findings)
        errors += sum(1 for f in result.findings if f.severity == Severity.ERROR)
        modified = [a for a in result.articles if a.modified]
        print(
            f"update {lang}: {plural(len(modified), 'segment file')} "
            f"{'to update' if args.dry_run else 'updated'} "
            f"({sum(a.created for a in modified)} new), {len(result.articles) - len(modified)} unchanged; "
            f"units: {result.total('kept'):,} kept, {result.total('changed'):,} changed, "
            f"{result.total('new') + result.total('leveraged'):,} new "
            f"({result.total('leveraged'):,} from translation memory), {result.total('archived'):,} archived"
            f"{'; dry run, nothing written' if args.dry_run else ''}"
        )
    return 1 if errors else 0


def cmd_align(args) -> int:
    from bitext.translate.align import run as align

    project = Project.open(args.root)
    if not args.source.is_dir():
        print(f"bitext align: no such folder: {args.source}", file=sys.stderr)
        return 2
    lang = language_dir(args.lang)
    result = align.align_language(
        project, lang, args.source, write=not args.dry_run, force=args.force, progress=_progress(f"align {lang}")
    )
    errors = sum(1 for f in result.findings if f.severity == Severity.ERROR)
    if args.format == "json":
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        return 1 if errors else 0
    for article in result.articles:
        print(f"{project.display(project.segment_path(article.path, lang))}: {article.summary()}")
        for low in article.low[:5]:
            print(f"    low confidence {low.confidence:.2f}: unit {low.unit} (line {low.line})")
        if len(article.low) > 5:
            print(f"    ... {len(article.low) - 5} more low-confidence units")
    _report(result.findings)
    moves = result.moves()
    written = [a for a in result.articles if a.modified]
    made = result.provenance()
    print(
        f"align {lang}: {plural(len(result.articles), 'article')} aligned from {args.source}, "
        f"{plural(len(written), 'segment file')} {'to write' if args.dry_run else 'written'} "
        f"({sum(a.created for a in written)} new), {result.without_translation} without translation; "
        f"beads: {', '.join(f'{k} {moves.get(k, 0):,}' for k in ('1-1', '1-2', '2-1', '1-0', '0-1'))}; "
        f"units: {result.total('translated'):,} translated, {result.total('review'):,} to review, "
        f"{result.total('untranslated'):,} without counterpart, {result.total('kept'):,} existing kept, "
        f"{result.total('replaced'):,} replaced; {result.total('unaligned'):,} translated sentences archived; "
        f"made from the English now: {made['current']}, from older English: {made['older']} "
        f"({result.total('held'):,} confident pairs to review), no fingerprint: {made['unknown']}; "
        f"errors {errors}{'; dry run, nothing written' if args.dry_run else ''}"
    )
    return 1 if errors else 0


def _languages(project: Project, requested: list[str] | None, command: str) -> list[str] | None:
    """The ``locales/`` folders named by ``--lang`` (tags like ko-KR allowed), or all of them."""
    known = project.languages()
    if not requested:
        return known
    bad = [lang for lang in requested if not is_language_tag(lang)]
    if bad:
        print(f"bitext {command}: --lang {bad[0]!r} is not a BCP 47 language tag", file=sys.stderr)
        return None
    folders = [language_dir(lang) for lang in requested]
    unknown = [lang for lang, folder in zip(requested, folders, strict=False) if folder not in known]
    if unknown:
        print(
            f"bitext {command}: no segment files for {', '.join(unknown)} under {project.locales_dir}", file=sys.stderr
        )
        return None
    return list(dict.fromkeys(folders))


def _severity(value: str) -> tuple[str, str]:
    name, sep, level = value.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected CHECK=LEVEL, got {value!r}")
    return name.strip(), level.strip()


def cmd_check(args) -> int:
    from bitext.project import settings
    from bitext.site.plugin import config as plugin_config
    from bitext.translate.qa import runner

    if args.list_checks:
        for name, c in checks.CHECKS.items():
            print(f"{name:15} {c.severity:8} {c.purpose}")
        return 0
    project = Project.open(args.root)
    try:
        config = plugin_config.load(settings.read(project.root))
    except BitextError as exc:  # a bad mkdocs.yml: an input error, named by file and line
        _report(exc.findings)
        return 1
    try:
        levels = runner.severities(config.check.severity, dict(args.severity or []))
    except ValueError as exc:
        print(f"bitext check: {exc}", file=sys.stderr)
        return 2
    languages = _languages(project, args.lang, "check")
    if languages is None:
        return 2
    report = runner.check_project(project, languages, levels, only=set(args.only) if args.only else None)
    flags = sorted(report.flags, key=lambda f: (f.lang, f.path, f.line, f.code))
    if args.format == "json":
        print(json.dumps([runner.as_json(f) for f in flags], ensure_ascii=False, indent=1))
        print(report.summary(), file=sys.stderr)
    else:
        for flag in flags:
            print(flag)
        print(report.summary())
    return 1 if report.errors else 0


def cmd_stats(args) -> int:
    from bitext.translate import stats

    project = Project.open(args.root)
    languages = _languages(project, args.lang, "stats")
    if languages is None:
        return 2
    result = stats.project_stats(project, languages)
    _report(result.findings)
    if args.format == "json":
        print(json.dumps(stats.as_json(result.languages), ensure_ascii=False, indent=1))
    else:
        print(stats.as_text(result.languages), end="")
    return 1 if result.findings else 0


def cmd_tm_export(args) -> int:
    from bitext.translate import tm

    project = Project.open(args.root)
    languages = _languages(project, [args.lang], "tm export")
    if languages is None:
        return 2
    try:
        result = tm.export_tm(project, languages[0], args.out, machine=not args.no_mt)
    except BitextError as exc:
        _report(exc.findings)
        return 1
    except OSError as exc:
        print(f"bitext tm export: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    _report(result.findings)
    print(
        f"exported {plural(result.entries, 'translation unit')} ({plural(result.machine, 'machine translation')}) "
        f"from {plural(result.units, 'segment')} in {plural(result.files, 'file')} to {args.out}"
    )
    return 1 if result.findings else 0


def cmd_links(args) -> int:
    from bitext.links import check as links
    from bitext.project import settings
    from bitext.site.plugin import config as plugin_config

    project = Project.open(args.root)
    try:
        config_file = settings.read(project.root)
        link_settings = links.load_settings(plugin_config.load(config_file), config_file)
    except BitextError as exc:  # a bad mkdocs.yml: an input error, named by file and line
        _report(exc.findings)
        return 1
    link_settings.base_urls = (*link_settings.base_urls, *args.base_url)
    link_settings.links.external = link_settings.links.external or args.external
    languages = _languages(project, args.lang, "links")
    if languages is None:
        return 2
    report = links.run(project, [project.source_language, *languages] if args.lang else None, link_settings)
    if args.format == "json":
        sys.stdout.write(links.format_json(report))
    else:
        sys.stdout.write(links.format_text(report))
    failing = Severity.WARNING if args.strict else Severity.ERROR
    return 1 if any(Severity(f.severity).at_least(failing) for f in report.findings) else 0


def cmd_new(args) -> int:
    from bitext.site import scaffold

    try:
        scaffold.new_site(args.dir, language=args.lang, site_name=args.name)
    except BitextError as exc:
        _report(exc.findings)
        return 1
    print(
        f"created a bilingual site in {args.dir} (English + {args.lang}); next: "
        f"bitext import-sxs PATH --root {args.dir} && mkdocs build -f {args.dir / 'mkdocs.yml'}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bitext", description="Bilingual documentation: English Markdown + XLIFF segment files."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--root", type=Path, default=Path("."), help="project root (default: current folder)")
        p.set_defaults(func=func)
        return p

    p = sub.add_parser(
        "new",
        help="create a ready bilingual site (mkdocs.yml, docs/en, locales, overrides)",
        description="create a ready bilingual site (mkdocs.yml, docs/en, locales, overrides)",
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="folder of the new site (created if missing)")
    p.add_argument("--lang", default="ko", help="target language (BCP 47, default: ko)")
    p.add_argument("--name", help="site name (default: the folder's name)")
    p.set_defaults(func=cmd_new)

    p = command("import-sxs", cmd_import_sxs, "import Microsoft bilingual (sxs) Markdown files")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="bilingual file or folder of them")
    p.add_argument("--lang", help="language (BCP 47) of files without ms.contentlocale")
    p.add_argument(
        "--force", action="store_true", help="replace English articles and segment files that exist with other content"
    )

    p = command("compile", cmd_compile, "write the localized Markdown of every article")
    p.add_argument("--lang", required=True, help="language folder under locales/, e.g. ko")
    p.add_argument("--out", required=True, type=Path, help="output folder")

    p = command("export-sxs", cmd_export_sxs, "write bilingual (sxs) Markdown files")
    p.add_argument("--lang", required=True, help="language folder under locales/, e.g. ko")
    p.add_argument("--out", required=True, type=Path, help="output folder")

    p = command("update", cmd_update, "re-sync segment files with the English articles")
    p.add_argument(
        "--lang",
        action="extend",
        nargs="+",
        default=[],
        metavar="LANG",
        help="languages to re-sync (default: every folder under locales/); a new one is started",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")

    p = command("align", cmd_align, "align translated Markdown (same paths as docs/en) into segment files")
    p.add_argument("--lang", required=True, help="language folder under locales/, e.g. ko (a new one is started)")
    p.add_argument(
        "--from", dest="source", required=True, type=Path, metavar="DIR", help="folder of translated Markdown"
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    p.add_argument(
        "--force", action="store_true", help="replace existing translations (kept as proposals) with aligned ones"
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

    p = command("check", cmd_check, "translation QA: compare every target with its source")
    p.add_argument(
        "--lang",
        action="extend",
        nargs="+",
        metavar="LANG",
        help="languages to check (default: every folder under locales/)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--severity",
        action="append",
        type=_severity,
        metavar="CHECK=LEVEL",
        help="override a check's severity: error, warning, info or off (repeatable)",
    )
    p.add_argument(
        "--only",
        action="append",
        choices=sorted(checks.CHECKS),
        metavar="CHECK",
        help="run only this check (repeatable)",
    )
    p.add_argument("--list-checks", action="store_true", help="list the checks, their severity and purpose")

    p = command("stats", cmd_stats, "translation progress per language and article")
    p.add_argument(
        "--lang", action="extend", nargs="+", metavar="LANG", help="languages (default: every folder under locales/)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")

    tm = sub.add_parser("tm", help="translation memory", description="translation memory")
    actions = tm.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = actions.add_parser(
        "export",
        help="write a language's translations as TMX 1.4b",
        description="write a language's translations as TMX 1.4b",
    )
    p.add_argument("--root", type=Path, default=Path("."), help="project root (default: current folder)")
    p.add_argument("--lang", required=True, help="language folder under locales/, e.g. ko")
    p.add_argument("-o", "--out", required=True, type=Path, help="the .tmx file to write")
    p.add_argument("--no-mt", action="store_true", help="leave out machine translations")
    p.set_defaults(func=cmd_tm_export)

    p = command("links", cmd_links, "check links, images, anchors and redirects in English and every language")
    p.add_argument(
        "--lang",
        action="extend",
        nargs="+",
        default=[],
        metavar="LANG",
        help="languages to check besides English (default: every folder under locales/)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--external", action="store_true", help="also fetch external URLs over HTTP(S)")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument(
        "--base-url",
        action="append",
        default=[],
        metavar="URL",
        help="a public URL of the docset (absolute links to it are checked as pages); repeatable",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BitextError as exc:  # the project's mkdocs.yml could not be read: nothing else can be
        _report(exc.findings)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
