"""The report pack as one zip in memory: what the Data page offers for download.

Built by the same ``build_pack`` as ``python -m report_pack``, in a temporary folder that is gone
afterwards; no Streamlit here.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

import duckdb

from report_pack.build import Progress, build_pack, zip_bytes


@dataclass(frozen=True)
class PackArchive:
    data: bytes  # the zip
    file_name: str  # '<stem>.zip'
    summary: str  # Danish: how many figures and tables, and how many were left out


def pack_archive(
    con: duckdb.DuckDBPyConnection,
    municipality: str,
    period_id: str,
    threshold: int | None = None,
    progress: Progress | None = None,
    *,
    use_template: bool = True,
) -> PackArchive:
    """The pack of ``period_id`` (a report period of ``municipality``) as zip bytes.

    ``threshold`` hides counts from 1 to threshold-1 (None shows every number); ``progress`` is
    called with (fraction, Danish message) as the work goes on.
    """
    with tempfile.TemporaryDirectory() as folder:
        result = build_pack(
            con, municipality, period_id, folder, threshold, progress, use_template=use_template
        )
        data = zip_bytes(result)
    omitted = f", {len(result.omitted)} udeladt uden data" if result.omitted else ""
    return PackArchive(
        data,
        f"{result.stem}.zip",
        f"{len(result.figures)} figurer og {len(result.tables)} tabeller{omitted}.",
    )
