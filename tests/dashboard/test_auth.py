"""Issue 16, class 3 "doors open by default": login fail-closed, secrets validation, localhost-only
local editor, paths from the project. Pure rules are table-driven; the gate is checked with AppTest."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.auth import (
    LOCAL_EDITOR,
    AuthConfig,
    SecretsProblem,
    auth_config,
    client_is_local,
    resolve_user,
)
from data_model import db
from tests.conftest import ROOT

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a long random string",
    "client_id": "dashboard",
    "client_secret": "hemmelig",
    "server_metadata_url": "https://login.example.dk/.well-known/openid-configuration",
}
ROLES = {"editors": ["Redaktoer@Kommune.dk"]}


# --- the pure rule: auth_config(secrets) -> AuthConfig | SecretsProblem -----------------------------

VALID: list[tuple[str, dict[str, Any], AuthConfig]] = [
    ("no secrets: local editor", {}, AuthConfig(login=False)),
    ("only a database path", {"db_path": "data/x.duckdb"}, AuthConfig(login=False)),
    ("login without roles: everyone reads", {"auth": AUTH}, AuthConfig(login=True)),
    (
        "login with editors (lower-cased)",
        {"auth": AUTH, "roles": ROLES},
        AuthConfig(login=True, editors=frozenset({"redaktoer@kommune.dk"})),
    ),
    (
        "provider sections",
        {
            "auth": {
                "redirect_uri": "x",
                "cookie_secret": "y",
                "microsoft": {k: "v" for k in ("client_id", "client_secret", "server_metadata_url")},
            }
        },
        AuthConfig(login=True),
    ),
    (
        "client_kwargs is not a provider",
        {"auth": {**AUTH, "client_kwargs": {"prompt": "login"}}},
        AuthConfig(login=True),
    ),
    (
        "backup settings",
        {"backup_dir": "/var/backup", "backup_every_hours": 24, "backup_keep": 7},
        AuthConfig(login=False),
    ),
]

REFUSED: list[tuple[str, dict[str, Any], str]] = [
    ("[Auth] typo", {"Auth": AUTH}, "små bogstaver"),
    ("[ROLES] typo", {"auth": AUTH, "ROLES": ROLES}, "små bogstaver"),
    ("unknown section", {"login": AUTH}, "Ukendt nøgle"),
    ("unknown top-level key", {"db_pat": "x.duckdb"}, "Ukendt nøgle"),
    ("[roles] without editors", {"auth": AUTH, "roles": {}}, "mangler editors"),
    ("[roles] with a misspelt key", {"auth": AUTH, "roles": {"editor": ["a@b.dk"]}}, "kender kun editors"),
    ("editors not a list", {"auth": AUTH, "roles": {"editors": "a@b.dk"}}, "liste af e-mailadresser"),
    ("editors without @", {"auth": AUTH, "roles": {"editors": ["redaktoer"]}}, "liste af e-mailadresser"),
    ("[roles] without [auth]", {"roles": ROLES}, "login mangler"),
    (
        "[auth] without cookie_secret",
        {"auth": {k: v for k, v in AUTH.items() if k != "cookie_secret"}},
        "cookie_secret",
    ),
    ("[auth] without provider keys", {"auth": {"redirect_uri": "x", "cookie_secret": "y"}}, "client_id"),
    (
        "incomplete provider section",
        {"auth": {"redirect_uri": "x", "cookie_secret": "y", "g": {"client_id": "a"}}},
        "g.client_secret",
    ),
    ("auth not a section", {"auth": "ja"}, "afsnit"),
    ("backup_every_hours zero", {"backup_every_hours": 0}, "positivt tal"),
    ("backup_keep text", {"backup_keep": "syv"}, "helt tal"),
    ("db_path empty", {"db_path": " "}, "sti"),
]


@pytest.mark.parametrize(("case", "secrets", "expected"), VALID, ids=[c[0] for c in VALID])
def test_valid_secrets(case: str, secrets: dict[str, Any], expected: AuthConfig) -> None:
    assert auth_config(secrets) == expected


@pytest.mark.parametrize(("case", "secrets", "reason"), REFUSED, ids=[c[0] for c in REFUSED])
def test_untrustworthy_secrets_are_refused_in_danish(case: str, secrets: dict[str, Any], reason: str) -> None:
    result = auth_config(secrets)
    assert isinstance(result, SecretsProblem), case
    assert reason in result.message
    # and nobody may edit under such a file, not even as the local editor
    assert not resolve_user(secrets, {"is_logged_in": True, "email": "redaktoer@kommune.dk"}).can_edit


def test_roles_after_login() -> None:
    secrets = {"auth": AUTH, "roles": ROLES}
    assert not resolve_user(secrets, {"is_logged_in": False}).logged_in
    assert not resolve_user(secrets, {"email": "redaktoer@kommune.dk"}).can_edit  # no is_logged_in: out
    assert not resolve_user(secrets, {"is_logged_in": True, "email": "laeser@kommune.dk"}).can_edit
    assert resolve_user(secrets, {"is_logged_in": True, "email": " Redaktoer@kommune.DK "}).can_edit


CLIENTS: list[tuple[str | None, dict[str, str], bool]] = [
    (None, {}, True),  # Streamlit reports localhost as None
    ("127.0.0.1", {}, True),
    ("::1", {}, True),
    ("127.0.0.2", {"Host": "localhost:8501"}, True),
    ("192.168.1.20", {}, False),
    ("10.0.0.5", {}, False),
    ("2001:db8::1", {}, False),
    (None, {"X-Forwarded-For": "203.0.113.9"}, False),  # a proxy on this computer forwards others
    (None, {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}, False),
    (None, {"Forwarded": "for=198.51.100.17;proto=https"}, False),
    (None, {"X-Real-IP": "kaputt"}, False),
    (None, {"X-Forwarded-For": "127.0.0.1"}, True),
]


@pytest.mark.parametrize(("ip", "headers", "local"), CLIENTS)
def test_only_this_computer_is_local(ip: str | None, headers: dict[str, str], local: bool) -> None:
    assert client_is_local(ip, headers) is local
    user = resolve_user({}, {}, local=local)
    assert user.can_edit is local and (user.id == LOCAL_EDITOR) is local and user.remote is not local


def test_an_agent_api_session_is_never_this_computer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit's agent API reports no address for any caller, near or far (and is off in config.toml)."""
    from types import SimpleNamespace

    import streamlit.runtime as runtime
    import streamlit.runtime.scriptrunner_utils.script_run_context as script_run_context
    from streamlit.runtime.agent.interaction import AgentSessionClient

    agent = AgentSessionClient()
    monkeypatch.setattr(script_run_context, "get_script_run_ctx", lambda: SimpleNamespace(session_id="s"))
    monkeypatch.setattr(runtime, "get_instance", lambda: SimpleNamespace(get_client=lambda _id: agent))
    ip, headers = auth.client_address()
    assert ip == auth.AGENT_ADDRESS and not client_is_local(ip, headers)
    assert not resolve_user({}, {}, local=client_is_local(ip, headers)).can_edit
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableAgentApi"] is False


# --- paths and binding ------------------------------------------------------------------------------


def test_paths_resolve_from_the_project_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(db.DB_PATH_ENV, raising=False)
    assert db.DEFAULT_DB_PATH == ROOT / "data" / "borgerraad.duckdb"
    assert db.SECRETS_FILE == ROOT / ".streamlit" / "secrets.toml"
    from data_model.seed import SAMPLE_DATA

    assert SAMPLE_DATA == ROOT / "sample_data"
    monkeypatch.setenv(db.DB_PATH_ENV, "relativ.duckdb")
    assert db.resolve_db_path() == ROOT / "relativ.duckdb"


def test_a_command_started_elsewhere_creates_nothing_there(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    missing = tmp_path / "mangler.duckdb"
    for command in (["check"], ["export", "--kind", "themes", "--format", "csv", "--out", "t.csv"]):
        result = subprocess.run(
            [sys.executable, "-m", "data_model", *command, "--db", str(missing)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2 and "findes ikke" in result.stderr and str(missing) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no database, no data/ folder, no t.csv


def test_server_listens_on_localhost_by_default() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


# --- the gate in the running app (AppTest) ---------------------------------------------------------


def _shown(at: AppTest) -> dict[str, int]:
    return {
        "sidebar": len(at.sidebar.children) if hasattr(at.sidebar, "children") else 0,
        "dataframes": len(at.dataframe),
        "selectboxes": len(at.selectbox),
        "metrics": len(at.metric),
        "downloads": len(at.get("download_button")),
    }


def _assert_only_login_screen(at: AppTest) -> None:
    assert not at.exception
    assert [b.label for b in at.button] == ["Log ind"]
    assert any("Log ind med din kommunale konto" in m.value for m in at.markdown)
    assert _shown(at) == {"sidebar": 0, "dataframes": 0, "selectboxes": 0, "metrics": 0, "downloads": 0}
    assert not any(LOCAL_EDITOR in c.value for c in at.caption)


def test_nothing_is_shown_before_login(app) -> None:
    at = app(secrets={"auth": AUTH, "roles": ROLES}).run()
    _assert_only_login_screen(at)
    for page in ("views/data.py", "views/registrering.py", "views/tendenser.py"):
        at.switch_page(page).run()
        _assert_only_login_screen(at)


def test_logged_in_users_get_their_role(app) -> None:
    editor = app(
        secrets={"auth": AUTH, "roles": ROLES}, user={"email": "redaktoer@kommune.dk", "is_logged_in": True}
    ).run()
    assert not editor.exception and editor.title[0].value == "Overblik"
    shown = [c.value.replace("\\", "") for c in editor.sidebar.caption]  # the e-mail is Markdown-escaped
    assert any("Logget ind som redaktoer@kommune.dk (redaktør)" in c for c in shown)
    editor.switch_page("views/registrering.py").run()
    assert not next(b for b in editor.button if b.label == "Gem henvendelse").disabled

    reader = app(
        secrets={"auth": AUTH, "roles": ROLES}, user={"email": "laeser@kommune.dk", "is_logged_in": True}
    ).run()
    reader.switch_page("views/registrering.py").run()
    assert not reader.exception
    assert next(b for b in reader.button if b.label == "Gem henvendelse").disabled
    assert any("læseadgang" in i.value for i in reader.info)


@pytest.mark.parametrize(
    "secrets",
    [
        {"Auth": AUTH, "roles": ROLES},
        {"auth": {"redirect_uri": "x", "cookie_secret": "y"}},
        {"auth": AUTH, "roles": {"editor": ["a@kommune.dk"]}},
        {"db_path": "x.duckdb", "unknown": 1},
    ],
    ids=["Auth", "missing-auth-keys", "roles-typo", "unknown-key"],
)
def test_broken_secrets_stop_the_app(app, secrets: dict[str, Any]) -> None:
    at = app(secrets=secrets).run()
    assert not at.exception
    assert len(at.error) == 1 and "Dashboardet er stoppet" in at.error[0].value
    assert _shown(at) == {"sidebar": 0, "dataframes": 0, "selectboxes": 0, "metrics": 0, "downloads": 0}
    at.switch_page("views/data.py").run()
    assert "Dashboardet er stoppet" in at.error[0].value and len(at.dataframe) == 0


@pytest.fixture
def broken_secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A secrets.toml with a TOML syntax error, read the way Streamlit reads the real file."""
    import streamlit
    from streamlit import config
    from streamlit.runtime.secrets import Secrets

    path = tmp_path / "secrets.toml"
    path.write_text(
        '[auth]\nredirect_uri = "http://localhost/oauth2callback\ncookie_secret = "x"\n', encoding="utf-8"
    )
    old = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    monkeypatch.setattr(streamlit, "secrets", Secrets())
    yield
    config.set_option("secrets.files", old)


def test_a_toml_syntax_error_stops_the_app(app, broken_secrets_file: None) -> None:
    problem = auth.current_config()
    assert isinstance(problem, SecretsProblem) and "ugyldig TOML" in problem.message
    at = app().run()
    assert not at.exception
    assert "Dashboardet er stoppet" in at.error[0].value and "ugyldig TOML" in at.error[0].value
    assert len(at.dataframe) == 0 and len(at.selectbox) == 0


def test_a_remote_client_without_login_only_reads(app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "client_address", lambda: ("192.168.1.20", {}))
    at = app().run()
    assert not at.exception and at.title[0].value == "Overblik"  # reading still works
    assert any("du kan kun læse" in c.value for c in at.sidebar.caption)
    at.switch_page("views/registrering.py").run()
    assert next(b for b in at.button if b.label == "Gem henvendelse").disabled
    assert any("kun rettes fra computeren" in i.value for i in at.info)
    at.switch_page("views/data.py").run()
    assert len(at.get("file_uploader")) == 0


def test_this_computer_without_login_edits_and_says_so(app) -> None:
    at = app().run()
    assert not at.exception
    assert any("lokal redaktør (kun på denne computer)" in c.value for c in at.sidebar.caption)
    at.switch_page("views/registrering.py").run()
    assert not next(b for b in at.button if b.label == "Gem henvendelse").disabled
