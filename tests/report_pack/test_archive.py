"""report_pack.archive: the pack as zip bytes, as the Data page offers it."""

from __future__ import annotations

import io
import zipfile

import pytest

from report_pack.archive import pack_archive


@pytest.mark.slow  # renders every figure (about 20 s here)
def test_the_pack_as_one_zip_in_memory(query_db) -> None:
    steps: list[tuple[float, str]] = []
    archive = pack_archive(
        query_db, "999", "999-2024", 5, lambda fraction, message: steps.append((fraction, message))
    )
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    stem = archive.file_name.removesuffix(".zip")
    assert archive.file_name.endswith(".zip") and all(n.startswith(f"{stem}/") for n in names)
    assert f"{stem}/figures.json" in names and any(n.endswith(".docx") for n in names)
    pngs = [n for n in names if n.endswith(".png")]
    assert pngs and archive.summary.startswith(f"{len(pngs)} figurer og ")
    assert steps and all(isinstance(message, str) and message for _, message in steps)
