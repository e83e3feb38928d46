"""Who is using the dashboard, and may they change data? Closed doors by default.

With Streamlit's built-in OIDC login configured (an ``[auth]`` section in secrets.toml), nothing
is shown before login: ``gate()`` draws a Danish login screen and stops the script. After login
the role comes from ``[roles]``: e-mail addresses listed under ``editors`` may change data,
everyone else only reads.

A secrets file that cannot be trusted stops the app with a Danish message (fail closed) instead
of falling back to the local editor: a TOML syntax error, an unknown top-level key or section
(``[Auth]``), ``[roles]`` without ``editors`` or without ``[auth]``, or ``[auth]`` missing keys
that login needs.

With no login configured the app runs as a single local editor, for this computer only: the
server binds to 127.0.0.1 (.streamlit/config.toml), and a request from any other address (or
through a proxy) only reads.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

LOCAL_EDITOR = "lokal redaktør"
REMOTE_READER = "læser uden login"

# every top-level key secrets.toml may hold; anything else is a typo we refuse to guess about
SECRETS_KEYS: dict[str, str] = {
    "db_path": "stien til databasefilen",
    "auth": "login (OIDC)",
    "roles": "roller: editors = [...]",
    "backup_dir": "mappe til sikkerhedskopier",
    "backup_every_hours": "automatisk sikkerhedskopi hver N. time",
    "backup_keep": "antal automatiske sikkerhedskopier, der gemmes",
}
_AUTH_REQUIRED = ("redirect_uri", "cookie_secret")
_PROVIDER_REQUIRED = ("client_id", "client_secret", "server_metadata_url")
_FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


@dataclass(frozen=True)
class AuthConfig:
    """What a valid secrets file says about login."""

    login: bool
    editors: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class SecretsProblem:
    """Why the secrets cannot be trusted (Danish); the app stops."""

    message: str


@dataclass(frozen=True)
class User:
    id: str  # the e-mail address, or LOCAL_EDITOR; written to the audit log
    can_edit: bool
    logged_in: bool
    login_configured: bool
    remote: bool = False  # no login configured and the request is not from this computer


def _keys(section: Mapping[str, Any]) -> str:
    return ", ".join(sorted(section)) or "ingen"


def auth_config(secrets: Mapping[str, Any]) -> AuthConfig | SecretsProblem:
    """Pure rule, testable without a server: what the secrets say, or why they are refused."""
    for key in secrets:
        if key in SECRETS_KEYS:
            continue
        if str(key).lower() in SECRETS_KEYS:
            return SecretsProblem(
                f"Nøglen/afsnittet [{key}] skal skrives med små bogstaver: [{str(key).lower()}]."
            )
        allowed = ", ".join(SECRETS_KEYS)
        return SecretsProblem(f"Ukendt nøgle eller afsnit [{key}]. Tilladt er: {allowed}.")
    for key in ("db_path", "backup_dir"):
        if key in secrets and (not isinstance(secrets[key], str) or not secrets[key].strip()):
            return SecretsProblem(f"{key} skal være en sti i anførselstegn.")
    every = secrets.get("backup_every_hours")
    if every is not None and (isinstance(every, bool) or not isinstance(every, int | float) or every <= 0):
        return SecretsProblem("backup_every_hours skal være et positivt tal (timer), fx 24.")
    keep = secrets.get("backup_keep")
    if keep is not None and (isinstance(keep, bool) or not isinstance(keep, int) or keep < 1):
        return SecretsProblem("backup_keep skal være et helt tal på mindst 1.")

    roles = secrets.get("roles")
    editors: frozenset[str] = frozenset()
    if roles is not None:
        if not isinstance(roles, Mapping):
            return SecretsProblem('[roles] skal være et afsnit med editors = ["navn@kommune.dk", ...].')
        unknown = set(roles) - {"editors"}
        if unknown:
            return SecretsProblem(f"[roles] kender kun editors, ikke {_keys(dict.fromkeys(unknown))}.")
        listed = roles.get("editors")
        if listed is None:
            return SecretsProblem('[roles] mangler editors = ["navn@kommune.dk", ...].')
        if not isinstance(listed, list) or not all(isinstance(e, str) and "@" in e for e in listed):
            return SecretsProblem(
                "editors under [roles] skal være en liste af e-mailadresser i anførselstegn."
            )
        editors = frozenset(e.strip().lower() for e in listed)

    auth = secrets.get("auth")
    if auth is None:
        if roles is not None:
            return SecretsProblem("[roles] er sat op, men login mangler: tilføj afsnittet [auth].")
        return AuthConfig(login=False)
    if not isinstance(auth, Mapping):
        return SecretsProblem("auth skal være et afsnit: [auth].")
    missing = [k for k in _AUTH_REQUIRED if not auth.get(k)]
    providers = {k: v for k, v in auth.items() if isinstance(v, Mapping) and k != "client_kwargs"}
    if providers:  # [auth.<provider>] sections, each complete
        for name, provider in providers.items():
            missing += [f"{name}.{k}" for k in _PROVIDER_REQUIRED if not provider.get(k)]
    else:
        missing += [k for k in _PROVIDER_REQUIRED if not auth.get(k)]
    if missing:
        return SecretsProblem(f"[auth] mangler: {', '.join(missing)}.")
    return AuthConfig(login=True, editors=editors)


def read_secrets() -> dict[str, Any] | SecretsProblem:
    """st.secrets as a dict; {} when there is no secrets file; a problem when one cannot be read."""
    from streamlit.errors import StreamlitSecretNotFoundError

    try:
        return dict(st.secrets.to_dict())
    except StreamlitSecretNotFoundError as exc:
        if getattr(exc, "error_id", None) == "no-secrets-found":
            return {}
        return SecretsProblem(f"secrets.toml kan ikke læses (ugyldig TOML): {exc}")
    except Exception as exc:  # anything else: refuse rather than run without login
        return SecretsProblem(f"secrets.toml kan ikke læses ({exc.__class__.__name__}).")


def current_config() -> AuthConfig | SecretsProblem:
    secrets = read_secrets()
    return secrets if isinstance(secrets, SecretsProblem) else auth_config(secrets)


def client_is_local(ip_address: str | None, headers: Mapping[str, str]) -> bool:
    """True for a request from this computer: no address (Streamlit's localhost) or a loopback
    address, and no proxy header naming another address."""
    addresses = [ip_address] if ip_address else []
    for name, value in headers.items():
        if name.lower() in _FORWARDING_HEADERS and value:
            addresses += [part.split("=")[-1].strip(' "[]') for part in value.replace(";", ",").split(",")]
    for address in addresses:
        try:
            if not ipaddress.ip_address(address).is_loopback:
                return False
        except ValueError:
            if address.lower() != "localhost":
                return False  # unknown or obfuscated: not this computer
    return True


AGENT_ADDRESS = "0.0.0.0"  # the unspecified address: the caller of Streamlit's agent API is unknown


def _is_agent_session() -> bool:
    """Streamlit's JSON/MCP agent API (off in our config.toml) reports no address for any caller,
    near or far, so such a session must never count as this computer."""
    try:
        from streamlit.runtime import get_instance
        from streamlit.runtime.agent.interaction import AgentSessionClient
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        return ctx is not None and isinstance(get_instance().get_client(ctx.session_id), AgentSessionClient)
    except Exception:  # no runtime, or a Streamlit without the agent API
        return False


def client_address() -> tuple[str | None, dict[str, str]]:
    """The request's address and headers (Streamlit gives None for localhost)."""
    if _is_agent_session():
        return AGENT_ADDRESS, {}
    try:
        ip, headers = st.context.ip_address, dict(st.context.headers or {})
    except Exception:  # no request context (e.g. a bare script run): this computer
        return None, {}
    # a real session gives str or None; AppTest's mocked runtime gives a mock object
    return (ip if isinstance(ip, str) else None), {str(k): str(v) for k, v in headers.items()}


def resolve_user(
    secrets: Mapping[str, Any] | AuthConfig | SecretsProblem,
    user_info: Mapping[str, Any],
    *,
    local: bool = True,
) -> User:
    """Pure rule: the user and role from the config and ``st.user``; broken config reads nothing."""
    config = secrets if isinstance(secrets, AuthConfig | SecretsProblem) else auth_config(secrets)
    if isinstance(config, SecretsProblem):
        return User("ukendt bruger", can_edit=False, logged_in=False, login_configured=True)
    if not config.login:
        if local:
            return User(LOCAL_EDITOR, can_edit=True, logged_in=False, login_configured=False)
        return User(REMOTE_READER, can_edit=False, logged_in=False, login_configured=False, remote=True)
    if user_info.get("is_logged_in") is not True:
        return User("ikke logget ind", can_edit=False, logged_in=False, login_configured=True)
    email = str(user_info.get("email") or "").strip().lower()
    return User(
        email or "ukendt bruger",
        can_edit=bool(email) and email in config.editors,
        logged_in=True,
        login_configured=True,
    )


def _user_info() -> dict[str, Any]:
    try:
        return dict(st.user.to_dict())
    except Exception:  # no user context: treat as logged out
        return {}


def current_user() -> User:
    config = current_config()
    info = _user_info() if isinstance(config, AuthConfig) and config.login else {}
    return resolve_user(config, info, local=client_is_local(*client_address()))


def gate() -> User:
    """First thing the app does: stop on a broken secrets file, show only the login screen to
    anyone not logged in, and return the user otherwise."""
    config = current_config()
    if isinstance(config, SecretsProblem):
        st.error(
            "Dashboardet er stoppet, fordi opsætningen i .streamlit/secrets.toml ikke kan bruges: "
            f"{config.message.rstrip('.')}. Ret filen og genstart dashboardet. Indtil da vises ingen data.",
            icon="🛑",
        )
        st.stop()
    user = current_user()
    if user.login_configured and not user.logged_in:
        login_screen()
        st.stop()
    return user


def login_screen() -> None:
    st.title("Borgerrådgiver-dashboard")
    st.write("Log ind med din kommunale konto for at se dashboardet.")
    st.button("Log ind", on_click=st.login, type="primary", key="login", icon=":material/login:")


def sidebar_login(user: User) -> None:
    """Login/logout controls and who you are, at the bottom of the sidebar."""
    with st.sidebar:
        if user.remote:
            st.caption(
                "Ingen login er sat op, og du er ikke på computeren, hvor dashboardet kører: du kan kun læse. "
                "Redigering kræver login (se README)."
            )
        elif not user.login_configured:
            st.caption("Ingen login er sat op: du arbejder som lokal redaktør (kun på denne computer).")
        elif user.logged_in:
            st.caption(f"Logget ind som {user.id} ({'redaktør' if user.can_edit else 'læser'}).")
            st.button("Log ud", on_click=st.logout, key="logout")
        else:
            st.button("Log ind", on_click=st.login, key="login")


def require_editor(user: User) -> bool:
    """True when the user may write; otherwise explain why the page only reads."""
    if user.can_edit:
        return True
    if user.remote:
        st.info(
            "Uden login kan data kun rettes fra computeren, hvor dashboardet kører. Sæt login op for at "
            "rette data fra andre computere.",
            icon="🔒",
        )
    elif user.logged_in:
        st.info("Du har læseadgang. Kontakt borgerrådgiveren, hvis du skal kunne rette data.", icon="🔒")
    else:
        st.info("Log ind som redaktør for at registrere eller rette data.", icon="🔒")
    return False
