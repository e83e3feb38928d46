"""Markdown injection: text from the database, a file or the URL is shown literally.

Streamlit renders Markdown (GitHub-flavoured, with HTML shown as text, plus its own directives
such as ``:red[...]``, ``:material/...:`` and ``$math$``) in ``st.markdown``, ``st.caption``,
``st.info``/``warning``/``error``/``success``, titles, metric and widget labels, and the options
of radio buttons and segmented controls. A unit named ``**[Log ind igen](https://evil)**`` or a
link ``?tema=[x](https://evil)`` would otherwise become a working link inside the app.

``md_escape`` backslash-escapes every ASCII punctuation character (CommonMark allows that for all
of them, and the rendered text is unchanged), so no link, image, emphasis, heading, list, HTML
tag, autolink (``https\\://``, ``www\\.``), directive or formula can start, and it puts the text
on one line. Every text that did not come from our own code goes through it before it reaches
Markdown; texts that need line breaks are shown with ``st.text`` instead.
"""

from __future__ import annotations

import re
import string
from typing import Any

_PUNCTUATION = frozenset(string.punctuation)  # the ASCII punctuation CommonMark lets us escape
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*")


def md_escape(text: Any) -> str:
    """The text as Markdown that renders exactly as the text, on one line."""
    if text is None:
        return ""
    one_line = _LINE_BREAKS.sub(" ", str(text))
    return "".join("\\" + c if c in _PUNCTUATION else c for c in one_line)
