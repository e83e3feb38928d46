"""The dashboard's menu: one row per page (its render function, Danish title, icon, URL path).

app.py turns each row into an ``st.Page`` whose function receives the run's page context; the
first row is the default page. Kept apart from app.py so tests can find a page by its module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dashboard.context import PageContext
from views import (
    aar_for_aar,
    anbefalinger,
    ankestyrelsen,
    data,
    kommuner,
    krydstabel,
    overblik,
    registrering,
    tendenser,
)


@dataclass(frozen=True)
class MenuPage:
    render: Callable[[PageContext], None]
    title: str
    icon: str
    url_path: str  # ASCII; also the first part of the page's download file names


MENU: tuple[MenuPage, ...] = (
    MenuPage(overblik.render, "Overblik", ":material/dashboard:", "overblik"),
    MenuPage(tendenser.render, "Tendenser", ":material/show_chart:", "tendenser"),
    MenuPage(aar_for_aar.render, "År for år", ":material/compare_arrows:", "aar-for-aar"),
    MenuPage(ankestyrelsen.render, "Ankestyrelsen", ":material/gavel:", "ankestyrelsen"),
    MenuPage(anbefalinger.render, "Anbefalinger", ":material/task_alt:", "anbefalinger"),
    MenuPage(krydstabel.render, "Krydstabel", ":material/table_chart:", "krydstabel"),
    MenuPage(kommuner.render, "Kommuner", ":material/map:", "kommuner"),
    MenuPage(registrering.render, "Registrér", ":material/edit_note:", "registrer"),
    MenuPage(data.render, "Data", ":material/database:", "data"),
)
SETUP_PAGE = "data"  # an empty database opens here


def page_files() -> list[str]:
    """The page modules as file paths relative to app.py (``views/overblik.py``, ...)."""
    return [page.render.__module__.replace(".", "/") + ".py" for page in MENU]


def url_path_of(module_path: str) -> str:
    """The URL path of the page defined in ``module_path`` (``views/aar_for_aar.py`` -> ``aar-for-aar``)."""
    module = module_path.removesuffix(".py").replace("/", ".")
    for page in MENU:
        if page.render.__module__ == module:
            return page.url_path
    raise ValueError(f"{module_path} is not a page of the menu")


def switch_page(at: Any, module_path: str) -> Any:
    """``AppTest.switch_page`` for these pages (tests and bench/): Streamlit's own finds only file
    pages, so the page is requested by the URL path its module has in the menu, as a shared link
    to it would be (``st.Page`` hashes the URL path). Works before the first run too."""
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(url_path_of(module_path))
    return at
