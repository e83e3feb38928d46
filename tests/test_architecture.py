"""Architecture rules, checked on the source (parsed with ``ast``, so an import or SQL inside a
function counts as much as one at the top of a module):

- queries/, charts/, data_model/ and report_pack/ import no Streamlit: they run in the CLI, the
  report pack and the tests without a Streamlit session;
- views/ hold no SQL: pages call queries/ and data_model/;
- every value formatted into SQL text, anywhere in the project, is a reviewed name or fragment.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT, write

# Static check: every value interpolated into SQL text in the project's Python files is reviewed.
# Keys are (module, the interpolated expression); the value says why it cannot carry user input.
SQL_INTERPOLATIONS: dict[tuple[str, str], str] = {
    **{
        ("data_model/backup.py", expr): "identifier from the DuckDB catalog, double-quoted by _quote"
        for expr in ("_quote()", "cols", "order")
    },
    **{
        ("data_model/check.py", expr): "kinds.KINDS / check._TARGETS: column and table names fixed in code"
        for expr in ("values", "kind.table", "known", "key", "table", "ref.column")
    },
    **{
        ("data_model/check.py", expr): "scan_tables/rule_violations: table and column names and CHECK "
        "expressions from the DuckDB catalog (our migrations), names double-quoted by _quote"
        for expr in ("_quote()", "aggregates", "name", "condition", "key", "expression")
    },
    ("data_model/backup.py", "sums"): "_content_digest: column names of the table just read, double-quoted",
    ("data_model/db.py", "table"): "loop over the fixed TABLES tuple",
    ("data_model/db.py", "blocks"): "check_complete: one fixed fragment per table; table names are ? parameters",
    **{
        ("data_model/editing.py", expr): "model field names and table from KINDS; values are ? parameters"
        for expr in ("cols", "kind.table", "_key_where()", "k")
    },
    **{
        ("data_model/export.py", expr): "model field names and table from KINDS"
        for expr in ("cols", "kind.table", "order")
    },
    **{
        (
            "data_model/importer.py",
            expr,
        ): "model field names and table from KINDS; stage is the literal 'import_stage'"
        for expr in ("kind.table", "cols", "stage", "keys", "column", "c", "same", "k", "sets", "changed")
    },
    **{
        ("data_model/importer.py", expr): "id and parent columns from the fixed importer._PARENTS dict"
        for expr in ("key", "parent")
    },
    **{
        ("queries/appeals.py", expr): "_GROUPS dict lookup (unknown key raises), fixed-fragment scope"
        for expr in (
            "_GROUPS[by]",
            "scope",
            "group",
            "'GROUP BY ALL ORDER BY on_merits DESC' if by else ''",
            "unit_cols",
        )
    },
    ("queries/inquiries.py", "scope"): "inquiry_rows: filters.where() text from the filter-field table; "
    "the municipalities are ? parameters",
    ("queries/published.py", "where"): "one of two literal fragments; municipalities are a ? parameter",
    **{
        (module, expr): "queries.filters.where: fixed condition text from the filter table's rows and "
        "DATE_COLUMNS; filter values are ? parameters"
        for module, expr in (
            ("queries/appeals.py", "conditions"),
            ("queries/facts.py", "conditions"),
            ("queries/recommendations.py", "conditions"),
            ("queries/crosstab.py", "in_filter"),
            ("queries/describe.py", "in_filter"),
            ("queries/inquiries.py", "in_filter"),
            ("queries/inquiries.py", "in_scope"),
            ("queries/periods.py", "in_filter"),
            ("queries/periods.py", "periods"),
            ("queries/periods.py", "inquiries"),
            ("queries/filters.py", "column"),
            ("queries/filters.py", "_in_list()"),
        )
    },
    **{
        (module, expr): "columns and category kinds of the fixed dimension table (queries.dimensions)"
        for module, expr in (
            ("queries/appeals.py", "APPEAL_GROUPS[by]"),
            ("queries/inquiries.py", "row.facts"),
            ("queries/inquiries.py", "row.facts_label"),
            ("queries/inquiries.py", "kind"),
        )
    },
    **{
        ("queries/inquiries.py", expr): "the complaint share's literal fragments (_share_columns); "
        "kinds and municipalities are ? parameters"
        for expr in ("citizen", "in_base", "share_sql")
    },
    ("queries/recommendations.py", "CURRENT_STATUSES_SQL"): "a literal constant; its value is a ? parameter",
    ("queries/recommendations.py", "per_window"): "before_after: one fixed FILTER fragment per window; dates are ?",
    ("queries/recommendations.py", "condition"): "before_after: fixed list_contains fragments; the lists are ?",
    **{
        ("queries/crosstab.py", expr): "DIMENSIONS/MEASURES table lookups (CrossSpec refuses unknown keys), "
        "the fixed _LEVEL_MAP text and fixed relation fragments; codes, dates and levels are ? parameters"
        for expr in (
            "raw_unit",
            "ids",
            "columns",
            "source",
            "r",
            "c",
            "muni_col",
            "date_col",
            "getattr()",
            "d",
            "_LEVEL_MAP",
            "facts",
            "cols",
            "measure.count_sql",
            "sets",
            "expr",
            "column",
        )
    },
    **{
        (
            "queries/inquiries.py",
            expr,
        ): "DIMENSIONS/_BUCKETS lookups, NOT_SET, literal fragments (count_expr, complaints_expr, "
        "in_period, the names current/previous), facts_sql text"
        for expr in (
            "category_kind",
            "code_col",
            "label_col",
            "code",
            "label",
            "NOT_SET",
            "count_expr()",
            "complaints_expr()",
            "facts",
            "join",
            "bucket",
            "group",
            "group_label",
            "bucket_join",
            "point_facts",
            "counted",
            "in_period",
            "name",
            "', '.join(per_period)",
        )
    },
    **{
        (
            "queries/published_check.py",
            expr,
        ): "literal fragments chosen by the measure; codes are ? parameters"
        for expr in ("counted", "join", "column", "unit_col")
    },
    **{
        ("queries/facts.py", expr): "literal fragments chosen by a boolean; filter values are ? parameters"
        for expr in ("unit_expr", "joins")
    },
    **{
        (
            "queries/facts.py",
            expr,
        ): "the facts' SELECT list: names of FACT_COLUMNS and their fixed expressions"
        for expr in ("select", "expression[c]", "c")
    },
    **{
        (module, expr): "units.level_sql: fixed text; the unit roll-up travels as ? list parameters"
        for module, expr in (
            ("queries/facts.py", "levels"),
            ("queries/facts.py", "level_cols"),
            ("queries/facts.py", "level_join"),
            ("queries/appeals.py", "levels"),
        )
    },
    **{
        ("bench/national_data.py", expr): "the synthetic national data set: module constants (sizes, years, "
        "fixed lists of names via _list) and fragments built from them; no input"
        for expr in (
            "_list()",
            "len()",
            "u",
            "area",
            "cut",
            "N_MUNICIPALITIES",
            "N_MUNICIPALITIES - 1",
            "SKEW",
            "int()",
            "FIRST_YEAR",
            "LAST_YEAR + 1",
            "dept_names",
            "dept_sectors",
            "N_INQUIRIES",
            "day0",
            "n_days",
            "PROVENANCE",
            "N_DECISIONS",
            "law_case",
            "RECOMMENDATIONS_PER_MUNICIPALITY",
            "years * 365 - 120",
        )
    },
    **{
        ("bench/profile.py", expr): "facts_sql text; filter values are ? parameters"
        for expr in ("facts", "point_facts")
    },
    **{
        ("data_model/point_scope.py", expr): "the literal _OUT_OF_STEP condition and the fixed UPDATE text; "
        "inquiry_ids is a relation name (str.isidentifier checked: the importer's stage), ids are ? parameters"
        for expr in ("_OUT_OF_STEP", "sql", "inquiry_ids")
    },
    **{
        ("queries/inquiries.py", expr): "_key_counts/_span_index/breakdown: fixed fragments (the span index "
        "CASE numbered by the span's position, the column name 'received', facts_sql text, the GROUP BY of "
        "the dimension's fixed columns, _points_from's complaint_point or facts relation); dates, kinds and "
        "municipalities are ? parameters"
        for expr in (
            "spread",
            "points",
            "points_from",
            "span_of",
            "rows_from",
            "index",
            "column",
            "' '.join(whens)",
            "when",
            "n",
            "grouping",
            "is_total",
        )
    },
    ("bench/national_data.py", "int(inquiries) * N_DECISIONS // N_INQUIRIES"): "generator constants (an int)",
    ("bench/run.py", "dimension"): "a benchmark case's label ('inquiries.breakdown(unit)'), not SQL",
}
SQL_WORDS = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|JOIN|CREATE|DROP|ALTER|GROUP BY|ORDER BY|VALUES|COPY|ATTACH|"
    r"PRAGMA|SET|AND|OR|NOT|IS|NULL|AS|LIKE|BETWEEN|CASE|WHEN|DISTINCT|FILTER|IN)\b|\s=\s*\?|::[A-Z]"
)  # " = ?" and "::VARCHAR" are SQL; a bare " = " ("n = 12") or "::" (CSS) in Danish text is not
# "s.{column}", "x.{code_col}" (a column of an alias) and "unnest({column})" (an SQL function call)
QUALIFIER = re.compile(r"((^|[\s(,])[a-z]{1,3}\.|\b[a-z_]+\()$")
SQL_CALLS = {"execute", "executemany", "sql", "query"}


def _reviewed_as(expression: ast.expr) -> str:
    """The source of an interpolated expression; a call of a named function as ``name()``: the
    function is what was reviewed (it returns fixed fragments whatever its arguments)."""
    if isinstance(expression, ast.Call) and isinstance(expression.func, ast.Name):
        return f"{expression.func.id}()"
    return ast.unparse(expression)


def _sql_interpolations(path: Path) -> list[tuple[int, str, str]]:
    """(line, expression, how) for every value formatted into text that looks like SQL, or into
    the first argument of execute/executemany/sql/query."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    sql_args = {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SQL_CALLS
        and node.args
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            qualified = any(
                isinstance(a, ast.Constant)
                and QUALIFIER.search(a.value)
                and isinstance(b, ast.FormattedValue)
                for a, b in zip(node.values, node.values[1:], strict=False)
            )
            if id(node) in sql_args or qualified or SQL_WORDS.search(literal):
                found += [
                    (node.lineno, _reviewed_as(v.value), "f-string")
                    for v in node.values
                    if isinstance(v, ast.FormattedValue)
                ]
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
        ):
            target = node.func.value
            if (
                isinstance(target, ast.Constant)
                and isinstance(target.value, str)
                and SQL_WORDS.search(target.value)
            ):
                found.append((node.lineno, ast.unparse(node), "str.format"))
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant)
        ):
            if isinstance(node.left.value, str) and SQL_WORDS.search(node.left.value):
                found.append((node.lineno, ast.unparse(node), "% formatting"))
    return found


def project_sources() -> list[Path]:
    """Every Python file of the project (each folder, and app.py), except the tests themselves."""
    skip = {"tests", "node_modules", "__pycache__"}
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not skip.intersection(path.relative_to(ROOT).parts)
        and not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
    )


def _module(path: Path) -> str:
    """The path from the project root (a file elsewhere, as in the self-tests: its name)."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def test_the_scans_cover_every_folder_of_the_project() -> None:
    scanned = {_module(p).split("/")[0] for p in project_sources()}
    folders = {
        p.name
        for p in ROOT.iterdir()
        if p.is_dir()
        and any(p.rglob("*.py"))
        and p.name not in {"tests", "node_modules"}
        and not p.name.startswith(".")
    }
    assert folders <= scanned and "app.py" in scanned
    assert {"data_model", "queries", "charts", "views", "dashboard", "report_pack", "bench"} <= folders


def test_sql_text_only_interpolates_reviewed_names() -> None:
    unreviewed = []
    for path in project_sources():
        module = _module(path)
        for line, expression, how in _sql_interpolations(path):
            if how != "f-string" or (module, expression) not in SQL_INTERPOLATIONS:
                unreviewed.append(f"{module}:{line}: {how} {{{expression}}}")
    assert not unreviewed, "review these and add them to SQL_INTERPOLATIONS with the reason:\n" + "\n".join(
        unreviewed
    )


def test_the_scan_catches_an_interpolated_value(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.py",
        "def f(con, name):\n"
        "    con.execute(f\"SELECT * FROM inquiry WHERE summary = '{name}'\")\n"
        '    con.execute("DELETE FROM x WHERE id = %s" % name)\n'
        '    con.sql("SELECT {}".format(name))\n',
    )
    assert [how for _, _, how in _sql_interpolations(bad)] == ["f-string", "% formatting", "str.format"]


def test_danish_text_with_an_equals_sign_is_not_sql(tmp_path: Path) -> None:
    text = write(
        tmp_path / "page.py",
        "def f(st, n, css):\n"
        '    st.caption(f"Omgørelsesprocent (n = {n})")\n'
        "    st.markdown(f\"<style>[data-x]::after {{ content: '{css}' }}</style>\")\n",
    )
    assert _sql_interpolations(text) == []


# --- layers: no Streamlit below the pages ----------------------------------------------------------

NO_STREAMLIT = ("queries", "charts", "data_model", "report_pack")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, at any depth (a lazy import in a function too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _streamlit_imports(path: Path) -> list[str]:
    return [
        f"{_module(path)}:{line}: import {name}"
        for line, name in imported_modules(path)
        if name == "streamlit" or name.startswith("streamlit.")
    ]


def test_queries_charts_data_model_and_report_pack_import_no_streamlit() -> None:
    files = [path for folder in NO_STREAMLIT for path in sorted((ROOT / folder).rglob("*.py"))]
    assert len(files) > 40  # the folders were found
    found = [hit for path in files for hit in _streamlit_imports(path)]
    assert not found, "Streamlit belongs in app.py, views/ and dashboard/:\n" + "\n".join(found)


def test_the_import_check_sees_lazy_imports(tmp_path: Path) -> None:
    lazy = write(
        tmp_path / "lazy.py",
        "import polars\n"
        "def f():\n"
        "    import streamlit as st\n"
        "    from streamlit.runtime import exists\n"
        "    return st, exists\n",
    )
    assert _streamlit_imports(lazy) == ["lazy.py:3: import streamlit", "lazy.py:4: import streamlit.runtime"]


# --- pages hold no SQL -----------------------------------------------------------------------------

SQL_STATEMENT = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+)?TABLE|DROP\s+TABLE)\b",
    re.S,
)


def sql_in(path: Path) -> list[str]:
    """Each SQL call (execute, executemany, sql, query on any object) and each string literal that
    reads as an SQL statement."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            found.append(f"{_module(path)}:{node.lineno}: .{node.func.attr}(...)")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_STATEMENT.search(node.value)
        ):
            found.append(f"{_module(path)}:{node.lineno}: {node.value[:60]!r}")
    return found


def test_views_hold_no_sql() -> None:
    views = sorted((ROOT / "views").rglob("*.py"))
    assert views
    found = [hit for path in views for hit in sql_in(path)]
    assert not found, "pages call queries/ and data_model/; move this SQL there:\n" + "\n".join(found)


def test_the_sql_check_sees_calls_and_statements(tmp_path: Path) -> None:
    page = write(
        tmp_path / "page.py",
        "def render(ctx, st):\n"
        "    st.title('Vælg og opdatér')  # Danish words are not SQL\n"
        "    rows = ctx.con.execute('SELECT 1').fetchall()\n"
        "    text = 'DELETE FROM inquiry WHERE inquiry_id = ?'\n"
        "    return rows, text\n",
    )
    assert sorted(hit.split(": ", 1)[0] for hit in sql_in(page)) == ["page.py:3", "page.py:4"]
