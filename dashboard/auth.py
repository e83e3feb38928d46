"""Who is using the dashboard, and may they change data?

With Streamlit's built-in OIDC login configured (an ``[auth]`` section in secrets.toml), users
log in and their role comes from ``[roles]`` in secrets: e-mail addresses listed under
``editors`` may change data, everyone else only reads. With no login configured the app runs as
a single local editor and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.safe_text import md_escape

LOCAL_EDITOR = "lokal redaktør"


@dataclass(frozen=True)
class User:
    id: str  # the e-mail address, or LOCAL_EDITOR; written to the audit log
    can_edit: bool
    logged_in: bool
    login_configured: bool


def _secrets() -> dict[str, Any]:
    try:
        return dict(st.secrets.to_dict())
    except Exception:  # a missing or broken secrets.toml means: no login configured
        return {}


def resolve_user(secrets: dict[str, Any], user_info: dict[str, Any]) -> User:
    """Pure rule, testable without a browser: role from the e-mail in ``user_info``."""
    if "auth" not in secrets:
        return User(LOCAL_EDITOR, can_edit=True, logged_in=False, login_configured=False)
    if not user_info.get("is_logged_in"):
        return User("ikke logget ind", can_edit=False, logged_in=False, login_configured=True)
    email = str(user_info.get("email") or "").lower()
    editors = {str(e).lower() for e in (secrets.get("roles", {}) or {}).get("editors", [])}
    return User(email or "ukendt bruger", can_edit=email in editors, logged_in=True, login_configured=True)


def current_user() -> User:
    secrets = _secrets()
    info: dict[str, Any] = {}
    if "auth" in secrets:
        try:
            info = dict(st.user.to_dict())
        except Exception:  # no user context: treat as logged out
            info = {}
    return resolve_user(secrets, info)


def sidebar_login(user: User) -> None:
    """Login/logout controls and who you are, at the bottom of the sidebar."""
    with st.sidebar:
        if not user.login_configured:
            st.caption("Ingen login er sat op: du arbejder som lokal redaktør.")
        elif user.logged_in:
            st.caption(f"Logget ind som {md_escape(user.id)} ({'redaktør' if user.can_edit else 'læser'}).")
            st.button("Log ud", on_click=st.logout, key="logout")
        else:
            st.button("Log ind", on_click=st.login, key="login")


def require_editor(user: User) -> bool:
    """True when the user may write; otherwise explain why the page only reads."""
    if user.can_edit:
        return True
    if user.logged_in:
        st.info("Du har læseadgang. Kontakt borgerrådgiveren, hvis du skal kunne rette data.", icon="🔒")
    else:
        st.info("Log ind som redaktør for at registrere eller rette data.", icon="🔒")
    return False
