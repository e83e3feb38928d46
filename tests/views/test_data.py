"""The Data page: the report pack is built through report_pack.archive and offered as a zip."""

from __future__ import annotations

import io
import re
import zipfile

import pytest


@pytest.mark.slow  # builds a real pack (about 20 s here)
def test_the_report_pack_is_built_and_offered_for_download(app) -> None:
    at = app("kommune=999&periode=999-2024").run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    at.checkbox(key="pack_suppress").check().run()
    at.button(key="pack_build").click().run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    (wanted, archive) = at.session_state["pack_zip"]
    assert wanted == ("999-2024", 5, False)  # hidden small numbers, no template for 999
    assert archive.file_name.endswith(".zip")
    assert re.fullmatch(r"\d+ figurer og \d+ tabeller(, \d+ udeladt uden data)?\.", archive.summary)
    assert any(caption.value == archive.summary for caption in at.caption)
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert any(name.endswith("figures.json") for name in names)
    assert "Hent beretningspakken (zip)" in [b.proto.label for b in at.get("download_button")]
