"""The data_model command line in a child process, as an operator runs it."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def cli(*args: str, cwd: Path = ROOT, file_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a child process, optionally unable to grow any file past ``file_limit``
    bytes (RLIMIT_FSIZE: writes fail with EFBIG, like a full disk fails with ENOSPC)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-m", "data_model", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=limit,
    )
