"""``mkdocs serve`` on the corpus: from saving a file to its new text being served (issue: preview at scale).

One run builds the corpus site (``bitext new`` + ``import-sxs`` + the English
TOC and redirect map) and the plain static-i18n site over the same pages
pre-compiled (``bitext.bench.site``), then starts ``mkdocs serve`` for each in
turn and saves files while a real HTTP client polls the affected pages:

1. one Korean target in a segment file → the Korean page;
2. one new English sentence in ``docs/en`` → the English page, and the Korean
   page (where the sentence has no translation yet and shows in English);
3. one article's Korean title → the Korean page and another Korean page, whose
   navigation shows the title;

and, for plain static-i18n, one sentence of a pre-compiled Korean page (a full
rebuild: what every save costs there).  Each figure is the wall time from the
save to the first response holding the new text.  Then 20 more edits of kind
1, and the serve process's resident memory before and after them.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bitext.bench.site import MKDOCS, _baseline_site, _corpus_site, _env, body_target
from bitext.site.plugin.fast_render import RENDERED_LATER
from bitext.site.plugin.plugin import AFTER_RELOAD

EDITS_FOR_MEMORY = 20
FIRST_BUILD_TIMEOUT = 1800
SAVE_TIMEOUT = 600
# The article edited: in the TOC, translated, with sentences in its body.
ARTICLE = "configure-the-anti-spam-policies"


class Server:
    """``mkdocs serve`` in a process of its own; its output kept for the figures."""

    def __init__(self, root: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(
            [*MKDOCS, "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=root,
            env={**_env(), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        out = self.proc.stdout
        assert out is not None
        threading.Thread(target=lambda: self.lines.extend(iter(out.readline, "")), daemon=True).start()

    def wait_ready(self) -> float | None:
        start = time.perf_counter()
        deadline = time.monotonic() + FIRST_BUILD_TIMEOUT
        while time.monotonic() < deadline and self.proc.poll() is None:
            if any("Serving on" in line for line in list(self.lines)):
                return time.perf_counter() - start
            time.sleep(0.05)
        return None

    def get(self, path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=SAVE_TIMEOUT) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError):
            return ""

    def settle(self, count: int) -> None:
        """Wait until bitext logged ``count`` times that the work it leaves for after a reload (search
        index, link check) is done: the next save comes after it, as from a writer who reads the page."""
        deadline = time.monotonic() + SAVE_TIMEOUT
        while time.monotonic() < deadline and sum(AFTER_RELOAD in line for line in list(self.lines)) < count:
            time.sleep(0.1)
        time.sleep(1)

    def until(self, start: float, checks: list[tuple[str, str]]) -> float | None:
        """Seconds from ``start`` until every (path, text) is served; None on timeout."""
        deadline = start + SAVE_TIMEOUT
        pending = list(checks)
        while pending and time.perf_counter() < deadline:
            path, text = pending[0]
            if text in self.get(path):
                pending.pop(0)
            else:
                time.sleep(0.02)
        return None if pending else time.perf_counter() - start

    def cpu(self) -> float:
        """CPU seconds the server process has used (all its threads)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory(self) -> tuple[float, float]:
        """Resident and peak resident memory (MB)."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def _save(path: Path, old: str, new: str) -> float:
    """Replace the first ``old`` in ``path`` by ``new``; the time of the save."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    start = time.perf_counter()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return start


def _title_target(xlf: Path) -> str:
    text = xlf.read_text(encoding="utf-8")
    m = re.search(r'<trans-unit id="title".*?(<target state="translated"[^>]*>)([^<]{2,})', text, re.S)
    if m is None:
        raise SystemExit(f"{xlf}: no translated title")
    return m.group(1) + m.group(2)[:4]


def _body_line(md: Path) -> str:
    """A paragraph line of the English body (not front matter, heading, list, table or code)."""
    text = md.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1] if text.startswith("---") else text
    for line in body.splitlines():
        if re.match(r"[A-Z][^|<>`]{30,}[.:]\s*$", line):
            return line
    raise SystemExit(f"{md}: no plain paragraph line")


def _bitext_serve(root: Path) -> dict:
    xlf = root / "locales" / "ko" / f"{ARTICLE}.xlf"
    md = root / "docs" / "en" / f"{ARTICLE}.md"
    other = "configure-the-outbound-spam-policy"
    server = Server(root)
    out: dict = {}
    try:
        out["first"] = server.wait_ready()
        if out["first"] is None:
            print("".join(server.lines[-40:]))
            return out
        server.get(f"ko/{ARTICLE}/")
        settled = itertools.count(1)
        out["rss_first"] = server.memory()
        target = body_target(xlf)
        cpu = server.cpu()
        start = _save(xlf, target, target.replace(">", ">BTXA ", 1))
        target = target.replace(">", ">BTXA ", 1)
        out["target"] = server.until(start, [(f"ko/{ARTICLE}/", "BTXA ")])
        out["target_cpu"] = server.cpu() - cpu
        server.settle(next(settled))
        line = _body_line(md)
        cpu = server.cpu()
        start = _save(md, line, line + " BTXB is new.")
        out["english"] = server.until(start, [(f"{ARTICLE}/", "BTXB is new."), (f"ko/{ARTICLE}/", "BTXB is new.")])
        out["english_cpu"] = server.cpu() - cpu
        server.settle(next(settled))
        title = _title_target(xlf)
        cpu = server.cpu()
        first = len(server.lines)
        start = _save(xlf, title, title.replace(">", ">BTXC ", 1))
        out["title"] = server.until(start, [(f"ko/{ARTICLE}/", "BTXC "), (f"ko/{other}/", "BTXC ")])
        out["title_cpu"] = server.cpu() - cpu
        server.settle(next(settled))
        out["title_log"] = [
            line.strip() for line in server.lines[first:] if "build cache:" in line or RENDERED_LATER in line
        ]
        out["rss_before"] = server.memory()
        walls = []
        for n in range(EDITS_FOR_MEMORY):
            marker = f"BTXM{n} "
            start = _save(xlf, target, target.replace(">", f">{marker}", 1))
            walls.append(server.until(start, [(f"ko/{ARTICLE}/", marker)]))
            target = target.replace(">", f">{marker}", 1)
            server.settle(next(settled))
        out["repeats"] = walls
        out["rss_after"] = server.memory()
        return out
    finally:
        server.stop()
        out["log"] = server.lines


def _baseline_serve(root: Path) -> dict:
    md = root / "docs" / "ko" / f"{ARTICLE}.md"
    server = Server(root)
    out: dict = {}
    try:
        out["first"] = server.wait_ready()
        if out["first"] is None:
            print("".join(server.lines[-40:]))
            return out
        server.get(f"ko/{ARTICLE}/")
        time.sleep(2)
        text = md.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1]
        sentence = next(line for line in body.splitlines() if re.match(r"[^\s#|>*`<\[-].{20,}$", line))
        cpu = server.cpu()
        start = _save(md, sentence, "BTXA " + sentence)
        out["target"] = server.until(start, [(f"ko/{ARTICLE}/", "BTXA ")])
        out["target_cpu"] = server.cpu() - cpu
        return out
    finally:
        server.stop()


def _fmt(value: float | None) -> str:
    return "timeout" if value is None else f"{value:.2f} s"


def run(corpus: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        site_root, base_root = tmp_path / "bitext-site", tmp_path / "baseline"
        _corpus_site(corpus, site_root)
        _baseline_site(site_root, base_root)
        shutil.rmtree(site_root / ".cache", ignore_errors=True)
        print(f"corpus: {corpus}; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        ours = _bitext_serve(site_root)
        base = _baseline_serve(base_root)
        print(
            f"plain static-i18n serve: first build {_fmt(base.get('first'))}; save a Korean sentence → served: "
            f"{_fmt(base.get('target'))} (a full rebuild)"
        )
        print(f"bitext serve: first build {_fmt(ours.get('first'))}")
        full = base.get("target")
        ok = True
        for name, label, target in (
            ("target", "(1) save one Korean target → Korean page", 2.0),
            ("english", "(2) save one English sentence → English and Korean pages", 2.0),
            ("title", "(3) save one Korean title → the page and another page's navigation", 5.0),
        ):
            seconds = ours.get(name)
            speedup = f", {full / seconds:.0f}x faster than plain static-i18n's rebuild" if seconds and full else ""
            met = seconds is not None and seconds <= target and (full is None or full / seconds >= 30)
            ok = ok and met
            cpu = ours.get(f"{name}_cpu")
            used = f" ({cpu:.2f} s CPU)" if cpu is not None else ""
            print(
                f"  {label}: {_fmt(seconds)}{used} (target <= {target:.0f} s, >= 30x){speedup}"
                f"{'' if met else '  NOT MET'}"
            )
        repeats = [w for w in ours.get("repeats", []) if w is not None]
        if repeats:
            print(
                f"  {len(repeats)} more saves of (1): median {sorted(repeats)[len(repeats) // 2]:.2f} s, "
                f"max {max(repeats):.2f} s"
            )
        if "rss_after" in ours:
            (rss0, _), (rss1, _), (rss2, peak2) = ours["rss_first"], ours["rss_before"], ours["rss_after"]
            growth = (rss2 - rss1) / rss1 * 100
            ok = ok and growth <= 10
            print(
                f"  serve memory: {rss0:.0f} MB after the first build, {rss1:.0f} MB after 3 edits, "
                f"{rss2:.0f} MB after {EDITS_FOR_MEMORY} more (growth {growth:+.1f} %, target <= 10 %); "
                f"peak {peak2:.0f} MB"
            )
        for line in ours.get("title_log", []):
            print(f"  (3)'s rebuild: {line}")
        reused = [line.strip() for line in ours.get("log", []) if "build cache:" in line]
        if reused:
            print(f"  last rebuild: {reused[-1]}")
        return 0 if ok else 1
