"""Pages are functions of one context: the menu keeps its Danish titles and URL paths, every page
opens by its URL path, the context and the filters are built once per run, and a page file runs
nothing when imported and stays short."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dashboard import context, sidebar, state
from dashboard.navigation import MENU, url_path_of

ROOT = Path(__file__).resolve().parents[2]
SHORT_PAGES = [
    "overblik",
    "tendenser",
    "aar_for_aar",
    "ankestyrelsen",
    "anbefalinger",
    "krydstabel",
    "kommuner",
]
PAGE_FILES = sorted((ROOT / "views").glob("*.py"))


def test_the_menu_keeps_its_titles_icons_and_url_paths() -> None:
    assert [(p.title, p.url_path, p.render.__module__) for p in MENU] == [
        ("Overblik", "overblik", "views.overblik"),
        ("Tendenser", "tendenser", "views.tendenser"),
        ("År for år", "aar-for-aar", "views.aar_for_aar"),
        ("Ankestyrelsen", "ankestyrelsen", "views.ankestyrelsen"),
        ("Anbefalinger", "anbefalinger", "views.anbefalinger"),
        ("Krydstabel", "krydstabel", "views.krydstabel"),
        ("Kommuner", "kommuner", "views.kommuner"),
        ("Registrér", "registrer", "views.registrering"),
        ("Data", "data", "views.data"),
    ]
    assert all(p.icon.startswith(":material/") for p in MENU)
    assert {f"views/{path.name}" for path in PAGE_FILES} == {
        f"views/{p.render.__module__.split('.')[-1]}.py" for p in MENU
    }


def test_a_page_file_is_found_by_its_module() -> None:
    assert url_path_of("views/aar_for_aar.py") == "aar-for-aar"
    assert url_path_of("views/registrering.py") == "registrer"
    with pytest.raises(ValueError, match="not a page"):
        url_path_of("views/missing.py")


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_a_page_runs_nothing_at_import_and_renders_one_context(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)
    for node in tree.body[1:]:  # after the docstring
        assert isinstance(node, allowed), f"{path.name}:{node.lineno} runs at import"
        if isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
            assert not isinstance(value, ast.Call) or not ast.unparse(value.func).startswith("st."), (
                f"{path.name}:{node.lineno} calls Streamlit at import"
            )
    render = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "render")
    assert [(a.arg, ast.unparse(a.annotation)) for a in render.args.args] == [("ctx", "PageContext")]


@pytest.mark.parametrize("name", SHORT_PAGES)
def test_a_page_file_is_under_100_lines(name: str) -> None:
    lines = (ROOT / "views" / f"{name}.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 100, f"views/{name}.py has {len(lines)} lines"


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, calls: list[str]) -> None:
    real: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


def test_every_page_opens_by_its_url_path_with_one_context_per_run(
    app: Callable[[], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    _counting(monkeypatch, context, "build_context", calls)
    _counting(monkeypatch, state, "filters_from_widgets", calls)
    _counting(monkeypatch, sidebar, "filters_from_widgets", calls)  # its own reference to it
    at = app().run()
    assert not at.exception
    for page in MENU:
        calls.clear()
        at.switch_page(f"views/{page.render.__module__.split('.')[-1]}.py").run()
        assert not at.exception, page.title
        assert at.title[0].value == page.title
        assert calls == ["filters_from_widgets", "build_context"], page.title
        assert at.query_params["kommune"] == "999", page.title  # the filters went back to the URL
