"""Markdown injection: names, titles, sources, file names and URL values are shown literally.

A hostile URL (``?tema=[x](https://evil)``, ``?kommune=<script>``) and hostile names in the
database (a unit called ``**[x](https://evil)**``) must not become a link, emphasis or HTML in
any element Streamlit renders as Markdown (markdown, captions, alerts, titles, metric and widget
labels, radio and segmented-control options).
"""

from __future__ import annotations

import re
import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard.safe_text import md_escape
from queries.filters import Catalog, from_query_params
from tests.conftest import open_app

EVIL = "**[x](https://evil.example/login)**"
LINK = "[Log ind igen](https://evil.example)"
# elements whose text is never Markdown: tables, plain text, code, charts, select boxes
# Not Markdown: tables, plain text, charts, widget values. ``html`` is st.html, which the app uses
# only for its own fixed style sheets and page script (dashboard/layout.py, dashboard/uploader.py),
# never for text from the database, a file or the URL.
PLAIN = {
    "dataframe",
    "text",
    "code",
    "arrow_vega_lite_chart",
    "selectbox",
    "multiselect",
    "text_input",
    "html",
}
UNESCAPED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\s*(?<!\\)\(")
UNESCAPED_HTML = re.compile(r"(?<!\\)<\s*/?\s*[a-zA-Z]")
UNESCAPED_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
UNESCAPED_STRONG = re.compile(r"(?<!\\)\*(?<!\\)\*")


def unescape(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


# --- the helper -----------------------------------------------------------------------------


@given(st.text(max_size=60))
def test_every_markdown_character_is_escaped_and_the_text_kept(text: str) -> None:
    escaped = md_escape(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert unescape(escaped) == re.sub(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*", " ", text)
    bare = escaped.replace("\\\\", "")
    for index, char in enumerate(bare):  # no ASCII punctuation without its backslash
        if char in string.punctuation and char != "\\":
            assert index > 0 and bare[index - 1] == "\\", (text, escaped)


@pytest.mark.parametrize(
    "text",
    [
        EVIL,
        LINK,
        "<script>alert(1)</script>",
        "![x](https://evil/x.png)",
        "https://evil.example",
        "www.evil.dk",
        ":red[rød] :material/warning: $x^2$",
        "# Overskrift",
        "- punkt\n- punkt",
        "a_b_ *c* `kode` ~~s~~",
        "&lt;b&gt;",
    ],
)
def test_hostile_shapes(text: str) -> None:
    escaped = md_escape(text)
    assert not UNESCAPED_LINK.search(escaped) and not UNESCAPED_HTML.search(escaped)
    assert not UNESCAPED_URL.search(escaped) and not UNESCAPED_STRONG.search(escaped)
    assert unescape(escaped) == text.replace("\n", " ")


def test_echoed_url_values_are_cut_short() -> None:
    _, notes = from_query_params({"tema": "[x](https://evil)" + "a" * 500, "fra": "0101901234"}, Catalog())
    assert all(len(n) < 120 for n in notes), notes
    assert any("…" in n for n in notes)
    assert not any("0101901234" in n for n in notes)  # a CPR number in a link is never repeated


# --- the pages --------------------------------------------------------------------------------


def rendered(at: AppTest) -> list[str]:
    """The Markdown source of every element Streamlit renders as Markdown, labels and options too."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else children or []:
            kind = getattr(child, "type", "")
            if kind not in PLAIN:
                proto = getattr(child, "proto", None)
                for attr in ("body", "label", "help"):
                    value = getattr(proto, attr, None)
                    if isinstance(value, str) and value:
                        texts.append(value)
                for option in getattr(proto, "options", None) or []:  # radio: str; segmented: .content
                    texts.append(option if isinstance(option, str) else getattr(option, "content", ""))
                value = getattr(child, "value", None)
                if isinstance(value, str) and value:
                    texts.append(value)
                if kind == "table":  # st.table renders its text cells as Markdown
                    texts.extend(
                        cell for row in value.itertuples(index=False) for cell in row if isinstance(cell, str)
                    )
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return texts


def assert_literal(texts: list[str], *payloads: str) -> None:
    for text in texts:
        assert not UNESCAPED_LINK.search(text), text
        assert not UNESCAPED_HTML.search(text), text
        assert not UNESCAPED_URL.search(text), text
        for payload in payloads:  # not even once without its escaping backslash
            assert not re.search(r"(?<!\\)" + re.escape(payload), text), text


@pytest.fixture
def app(query_db, monkeypatch: pytest.MonkeyPatch):
    def make(query: str = "", setup: list[tuple[str, list[Any]]] | None = None) -> AppTest:
        for sql, params in setup or []:
            query_db.execute(sql, params)
        at = open_app(query_db, monkeypatch, query)
        return at

    return make


@pytest.mark.parametrize(
    "query",
    [
        "kommune=999&tema=[x](https://evil.example)",
        f"kommune=999&tema={LINK}",
        "kommune=<script>alert(1)</script>",
        "kommune=999&enhed=**[x](https://evil.example)**&fra=<img src=x onerror=alert(1)>",
        "kommune=999&interval=![x](https://evil.example/x.png)&opdel=:red[rød]",
    ],
)
def test_a_hostile_url_echoes_no_link_and_no_html(app, query: str) -> None:
    at = app(query).run()
    assert not at.exception
    texts = rendered(at)
    notes = [w.value for w in at.sidebar.warning]
    assert notes, "the ignored value is still reported"
    assert_literal(texts, "](https://", "<script", "<img", ":red[")
    assert any(unescape(n).startswith("Ukendt") or unescape(n).startswith("Ugyldig") for n in notes)


HOSTILE_DB = [
    ("UPDATE org_unit SET name = ? WHERE unit_id = '999-tek'", [EVIL]),
    ("UPDATE org_unit SET name = ? WHERE unit_id = '999-sos-born'", ["<b>fed</b> :red[rød]"]),
    ("UPDATE municipality SET name = ? WHERE code = '999'", [LINK]),
    ("UPDATE report_period SET label = ? WHERE period_id = '999-2024'", ["[2024](https://evil.example)"]),
    ("UPDATE recommendation SET title = ?", [EVIL]),
    ("UPDATE follow_up SET source = ?", ["[kilde](https://evil.example)"]),
]


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("overblik", "kommune=999&periode=999-2025&enhed=999-tek"),
        ("tendenser", "kommune=999&enhed=999-tek"),
        ("aar_for_aar", "kommune=999&periode=999-2025"),
        ("aar_for_aar", "kommune=999&periode=999-2025&visning=praesentation"),  # titles as options
        ("ankestyrelsen", "kommune=999&periode=999-2025"),
        ("anbefalinger", "kommune=999"),
        ("kommuner", "kommune=999"),
        ("data", "kommune=999&periode=999-2025"),
        ("registrering", "kommune=999"),
        ("krydstabel", "kommune=999&periode=999-2025"),
    ],
)
def test_hostile_names_in_the_database_render_literally(app, page: str, query: str) -> None:
    at = app(query, HOSTILE_DB).run()
    if page != "overblik":
        at.switch_page(f"views/{page}.py").run()
    if page == "tendenser":  # the underlying rows too: read only once their expander is opened
        at.session_state["rows_open"] = True
        at.run()
    assert not at.exception, at.exception
    texts = rendered(at)
    assert_literal(texts, "**[", "](https://", "<b>", ":red[")
    if page in ("overblik", "tendenser"):  # the unit filter is said in words: literally
        assert any(md_escape(EVIL) in t for t in texts), texts
    if "praesentation" in query:  # the figure picker's options carry the period labels
        options = [o.content for b in at.get("button_group") for o in b.proto.options]
        assert any(md_escape("[2024](https://evil.example)") in o for o in options), options


def test_a_recommendation_title_and_source_are_shown_escaped(app) -> None:
    at = app("kommune=999", HOSTILE_DB).run()
    at.switch_page("views/anbefalinger.py").run()
    texts = rendered(at)
    assert any(md_escape(EVIL) in t for t in texts)
    sources = [t for t in texts if t.startswith("Kilde")]
    assert all("](" not in t for t in sources)


def test_an_uploaded_file_name_and_headers_are_shown_escaped(app) -> None:
    at = app().run()
    at.switch_page("views/data.py").run()
    data = b"code,name,[x](https://evil.example)\nf1,Navn,x\n"
    next(u for u in at.get("file_uploader") if u.key == "import_file").set_value(
        ("[klik](https:evil.example).csv", data, "text/csv")
    ).run()
    assert not at.exception
    texts = rendered(at)
    assert any("Forhåndsvisning" in t for t in texts)
    assert_literal(texts, "](https://", "](https:")


def test_a_name_typed_in_a_form_is_echoed_literally(app) -> None:
    at = app("kommune=999").run()
    at.switch_page("views/registrering.py").run()
    at.text_input(key="rename_name").set_value(EVIL)
    next(b for b in at.button if b.label == "Omdøb").click().run()
    assert not at.exception
    successes = [s.value for s in at.success]
    assert any(md_escape(EVIL) in s for s in successes), successes
    assert_literal(rendered(at), "**[", "](https://")
