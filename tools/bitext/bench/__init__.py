"""Benchmarks that print figures (never timed unit tests): ``python -m bitext.bench NAME``."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def default_corpus() -> Path:
    env = os.environ.get("BITEXT_CORPUS")
    if env:
        return Path(env)
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base.parent / "shared" / "corpus" / "o365seccomp-ko"
        if candidate.is_dir():
            return candidate
    return Path("../shared/corpus/o365seccomp-ko")


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # the child's user + system time: what the run costs on a busy machine


def measure(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run a command: wall time and the child's own peak resident memory (from wait4)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds, usage.ru_maxrss / 1024, proc.returncode, out.read(), err.read(), usage.ru_utime + usage.ru_stime
        )


def bitext(*args: str) -> list[str]:
    return [sys.executable, "-m", "bitext", *args]
