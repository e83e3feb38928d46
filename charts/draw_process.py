"""Charts drawn in a helper process, beside the caller's own work.

vl-convert holds the GIL while Vega draws an SVG and while the SVG is rasterised, so threads do not
overlap it with anything. The report pack instead sends each chart's spec to one helper process
(``python -m charts.draw_process``), which starts Vega at once (while the caller imports and runs
its queries) and answers with SVG + print PNG through ``charts.export.to_svg_and_png``, the same
function and the same bytes as drawing in-process. The caller meanwhile builds the next chart,
writes CSV/Excel and the Word tables. If the helper cannot start or dies, each chart is drawn
in-process instead: slower, never different.

Protocol on the helper's stdin/stdout: a request is a 4-byte big-endian length and a JSON object
``{"spec": ..., "locale": ...}``; an answer is one status byte (0 ok, 1 error) and two
length-prefixed parts (SVG and PNG, or the error message and nothing).
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import select
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import IO, Any

import vl_convert as vlc

from charts.export import png_from_svg, to_svg_and_png

ROOT = Path(__file__).resolve().parents[1]
DISABLE_ENV = "BORGERRAAD_DRAW_IN_PROCESS"  # set to 1: draw every chart in the caller's process
IDLE_SECONDS = 60.0  # a helper with nothing to draw for this long stops
ANSWER_SECONDS = 300.0  # a chart not drawn in this time: the helper is taken to hang
_LENGTH = struct.Struct(">I")
_WARM = {
    "data": {"values": [{"x": 1}]},
    "mark": "point",
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
}

Drawn = tuple[bytes, bytes]  # (SVG, print PNG)


def _read_exact(stream: IO[bytes], size: int) -> bytes | None:
    """``size`` bytes, or None at the end of the stream."""
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _read_part(stream: IO[bytes]) -> bytes | None:
    header = _read_exact(stream, _LENGTH.size)
    if header is None:
        return None
    (size,) = _LENGTH.unpack(header)
    return _read_exact(stream, size) if size else b""


def _part(data: bytes) -> bytes:
    return _LENGTH.pack(len(data)) + data


def serve(requests: IO[bytes], answers: IO[bytes], idle_seconds: float = IDLE_SECONDS) -> None:
    """The helper's loop: warm Vega up, then draw each request until stdin closes or nothing has
    come for ``idle_seconds`` (a kept helper does not outlive its use)."""
    png_from_svg(vlc.vegalite_to_svg(_WARM), scale=1)  # Vega's engine and the fonts, once
    while select.select([requests], [], [], idle_seconds)[0]:
        request = _read_part(requests)
        if request is None:
            return
        try:
            job = json.loads(request)
            svg, png = to_svg_and_png(job["spec"], job["locale"])
            answers.write(b"\x00" + _part(svg) + _part(png))
        except Exception as exc:  # the caller raises it, with the chart it belongs to
            answers.write(b"\x01" + _part(f"{type(exc).__name__}: {exc}".encode()) + _part(b""))
        answers.flush()


class DrawProcess:
    """One helper process drawing charts in the order they are submitted."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "charts.draw_process"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._pending: deque[Future[Drawn]] = deque()
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._lock = threading.Lock()
        self._failed: BaseException | None = None
        self.last_used = time.monotonic()
        threading.Thread(target=self._write, name="draw-process-writer", daemon=True).start()
        threading.Thread(target=self._read, name="draw-process-reader", daemon=True).start()

    @property
    def usable(self) -> bool:
        """Alive, healthy, and not about to stop for being idle."""
        idle = time.monotonic() - self.last_used
        return self._failed is None and self._process.poll() is None and idle < IDLE_SECONDS / 2

    def submit(self, spec: dict[str, Any], locale: dict[str, Any]) -> Future[Drawn]:
        self.last_used = time.monotonic()
        future: Future[Drawn] = Future()
        with self._lock:
            if self._failed is not None:
                future.set_exception(self._failed)
                return future
            self._pending.append(future)
        self._outbox.put(_part(json.dumps({"spec": spec, "locale": locale}).encode("utf-8")))
        return future

    def _write(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            while (message := self._outbox.get()) is not None:
                stdin.write(message)
                stdin.flush()
        except OSError as exc:
            self._fail(exc)
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        while (status := _read_exact(stdout, 1)) is not None:
            first, second = _read_part(stdout), _read_part(stdout)
            if first is None or second is None:
                break
            with self._lock:
                future = self._pending.popleft()
            self.last_used = time.monotonic()
            if status == b"\x00":
                future.set_result((first, second))
            else:
                future.set_exception(
                    RuntimeError(f"Figuren kunne ikke tegnes: {first.decode('utf-8', 'replace')}")
                )
        self._fail(OSError("the drawing process stopped"))

    def _fail(self, error: BaseException) -> None:
        with self._lock:
            if self._failed is None:
                self._failed = error
            while self._pending:
                self._pending.popleft().set_exception(error)

    def close(self, *, abort: bool = False) -> None:
        """Let the helper finish what it was given and stop (``abort``: stop it now)."""
        self._outbox.put(None)
        if abort:
            self._process.kill()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class Drawer:
    """Draws charts (SVG + print PNG) in a helper process when one can run, else in-process.
    ``draw(spec)`` returns at once; calling what it returns gives the drawing."""

    def __init__(self, process: DrawProcess | None = None) -> None:
        self._process = process
        self._locale: dict[str, Any] | None = None

    def draw(self, spec: dict[str, Any]) -> Callable[[], Drawn]:
        if self._locale is None:
            from charts.export import danish_locale

            self._locale = danish_locale()
        locale = self._locale
        process = self._process
        if process is None:
            return lambda: to_svg_and_png(spec, locale)
        try:
            future = process.submit(spec, locale)
        except (TypeError, ValueError):  # not plain JSON: vl-convert may still take it here
            return lambda: to_svg_and_png(spec, locale)

        def result() -> Drawn:
            try:
                return future.result(timeout=ANSWER_SECONDS)
            except TimeoutError:  # the helper hangs: stop it (the rest fall back at once)
                process.close(abort=True)
                return to_svg_and_png(spec, locale)
            except OSError:  # the helper is gone: draw this one here
                return to_svg_and_png(spec, locale)

        return result

    def close(self, *, abort: bool = False) -> None:
        """Hand the helper back for the next pack (it stops by itself when idle), or stop it."""
        process, self._process = self._process, None
        if process is not None:
            _release(process, abort=abort)

    def __enter__(self) -> Drawer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_rest: object) -> None:
        self.close(abort=exc_type is not None)


_lock = threading.Lock()
_ready: list[DrawProcess] = []  # started or kept helpers, each used by one drawer at a time


def _disabled() -> bool:
    return os.environ.get(DISABLE_ENV) == "1"


def _start() -> DrawProcess | None:
    try:
        return DrawProcess()
    except OSError:
        return None


def _release(process: DrawProcess, *, abort: bool) -> None:
    if abort or not process.usable:
        process.close(abort=abort)
        return
    with _lock:
        _ready.append(process)
        extra = _ready[:-1]
        del _ready[:-1]
    for old in extra:
        old.close()
    expiry = threading.Timer(IDLE_SECONDS / 2, _expire, args=(process, process.last_used))
    expiry.daemon = True
    expiry.start()


def _expire(process: DrawProcess, last_used: float) -> None:
    """Stop a kept helper nobody has used since it was handed back."""
    with _lock:
        if process not in _ready or process.last_used != last_used:
            return
        _ready.remove(process)
    process.close()


@atexit.register
def _stop_all() -> None:
    with _lock:
        kept = list(_ready)
        _ready.clear()
    for process in kept:
        process.close(abort=True)  # idle: nothing is lost


def prestart() -> None:
    """Start a helper now (the command line calls this first, so Vega starts while the rest of
    the program imports); the next ``drawer()`` uses it."""
    if _disabled():
        return
    process = _start()
    if process is not None:
        _release(process, abort=False)


def drawer() -> Drawer:
    """A drawer for one pack: a ready helper, a new one, or in-process drawing."""
    if _disabled():
        return Drawer()
    with _lock:
        ready = [p for p in _ready if p.usable]
        stale = [p for p in _ready if p not in ready]
        _ready.clear()
        process = ready.pop() if ready else None
        _ready.extend(ready)
    for old in stale:
        old.close(abort=True)
    return Drawer(process or _start())


if __name__ == "__main__":
    serve(sys.stdin.buffer.raw, sys.stdout.buffer)  # unbuffered input: select sees every request
