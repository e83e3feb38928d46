"""The file uploader in Danish.

Streamlit 1.67's ``st.file_uploader`` has no setting for its own words (the "Upload" button,
"200MB per file • CSV" and, while a file is dragged over it, "Drag and drop a file here"), so
they are replaced by CSS: the English text is hidden and the Danish drawn in its place. The
selectors are the uploader's ``data-testid`` attributes and, for the drag text, the class
Streamlit 1.67 gives it (``euud7oh2``); check them when Streamlit is upgraded.
"""

from __future__ import annotations

import streamlit as st

from data_model.labels import format_count


def _css(max_mb: int, types: str) -> str:
    instructions = f"Træk en fil hertil · højst {format_count(max_mb)} MB pr. fil · {types}"
    return f"""
<style>
[data-testid="stFileUploaderDropzone"] button {{ position: relative; }}
[data-testid="stFileUploaderDropzone"] button > * {{ color: transparent !important; }}  /* still the button's name for screen readers */
[data-testid="stFileUploaderDropzone"] button::after {{
  content: "Vælg fil"; visibility: visible; position: absolute; inset: 0;
  display: flex; align-items: center; justify-content: center;
}}
[data-testid="stFileUploaderDropzoneInstructions"] > div > * {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "{instructions}"; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzone"] .euud7oh2 {{ font-size: 0 !important; visibility: hidden; }}
[data-testid="stFileUploaderDropzone"] .euud7oh2::after {{
  content: "Slip filen her"; font-size: 1rem; visibility: visible;
}}
</style>
"""


def danish_uploader_style(types: list[str]) -> None:
    """Put the Danish words on every file uploader of the page (call before the uploader)."""
    max_mb = int(st.get_option("server.maxUploadSize"))
    st.html(_css(max_mb, ", ".join(t.upper() for t in types)))
