"""Many sessions on one database (issue 9): 8 readers on cursors of one connection while a writer
imports and upserts; two writers on the same rows. Marked ``slow``."""

from __future__ import annotations

import threading

import pytest

from data_model.importer import ImportReport, import_file
from queries import appeals, inquiries, recommendations
from tests.conftest import TODAY
from tests.import_checks import BATCH, BATCHES, assert_danish_problem, batch_csv
from tests.query_fixture import Y2024, Y2025, F

pytestmark = pytest.mark.slow  # threads racing for minutes on two shared cores


@pytest.mark.timeout(180)
def test_eight_readers_and_a_writer_on_one_connection(query_db) -> None:
    con = query_db
    stop = threading.Event()
    errors: list[str] = []
    seen: list[list[int]] = [[] for _ in range(8)]
    writes: list[ImportReport] = []

    def reader(number: int) -> None:
        cur = con.cursor()  # what each page does with the app's one cached connection
        try:
            while not stop.is_set() or not seen[number]:
                inquiries.breakdown(cur, F, Y2025, "unit")
                inquiries.trend(cur, F, None)
                inquiries.year_over_year(cur, F, Y2025, "kind")
                appeals.omgoerelse(cur, F, Y2024)
                recommendations.recommendation_status(cur, F, TODAY)
                batches = cur.execute(
                    "SELECT split_part(inquiry_id, '-', 1), count(*), count(DISTINCT summary) "
                    "FROM inquiry WHERE inquiry_id LIKE 'batch%' GROUP BY 1"
                ).fetchall()
                for name, rows, versions in batches:
                    if rows != BATCH or versions != 1:
                        errors.append(f"reader {number} saw half of {name}: {rows} rows, {versions} versions")
                seen[number].append(sum(rows for _, rows, _ in batches))
        except Exception as exc:
            errors.append(f"reader {number}: {exc!r}")
        finally:
            cur.close()

    def writer() -> None:
        cur = con.cursor()
        try:
            for k in range(BATCHES):
                writes.append(
                    import_file(cur, f"batch{k}.csv", "inquiries", today=TODAY, data=batch_csv(k, "v1"))
                )
                if k:  # upsert the previous batch: every row changes
                    writes.append(
                        import_file(
                            cur, f"batch{k - 1}b.csv", "inquiries", today=TODAY, data=batch_csv(k - 1, "v2")
                        )
                    )
        except Exception as exc:
            errors.append(f"writer: {exc!r}")
        finally:
            cur.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    writing = threading.Thread(target=writer)
    writing.start()
    writing.join(timeout=150)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors[:5]
    assert all(report.ok for report in writes), [r.problems[:2] for r in writes if not r.ok]
    assert [(r.new, r.changed) for r in writes[:3]] == [(BATCH, 0), (BATCH, 0), (0, BATCH)]
    counts = con.execute(
        "SELECT split_part(inquiry_id, '-', 1), count(*), any_value(summary) FROM inquiry "
        "WHERE inquiry_id LIKE 'batch%' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert len(counts) == BATCHES and all(rows == BATCH for _, rows, _ in counts)
    versions = {name: summary.split(" ")[0] for name, _, summary in counts}
    assert versions == {f"batch{k}": ("v1" if k == BATCHES - 1 else "v2") for k in range(BATCHES)}
    for history in seen:  # each reader's view only ever grew, and each reader ran
        assert history and history == sorted(history)


@pytest.mark.timeout(120)
def test_two_writers_on_the_same_rows_lose_nothing_silently(query_db) -> None:
    """Concurrent upserts of the same keys: each import lands whole or reports a Danish conflict."""
    con = query_db
    results: dict[str, list[ImportReport]] = {"a": [], "b": []}
    errors: list[str] = []

    def writer(tag: str) -> None:
        cur = con.cursor()
        try:
            for k in range(10):
                own = "inquiry_id,municipality_code,received,kind_code\n" + "".join(
                    f"{tag}{k}-{i},999,2025-01-01,klage\n" for i in range(100)
                )
                results[tag].append(
                    import_file(cur, f"{tag}{k}.csv", "inquiries", today=TODAY, data=own.encode())
                )
                shared = "inquiry_id,municipality_code,received,kind_code,summary\n" + "".join(
                    f"delt-{i},999,2025-01-01,klage,{tag}{k}\n" for i in range(50)
                )
                results[tag].append(
                    import_file(cur, f"delt{tag}{k}.csv", "inquiries", today=TODAY, data=shared.encode())
                )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            cur.close()

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=100)
    assert not errors, errors
    for tag, reports in results.items():
        for k, report in enumerate(reports[::2]):  # own rows: never contended, always land
            assert report.ok, report.problems
            assert con.execute(
                "SELECT count(*) FROM inquiry WHERE inquiry_id LIKE ?", [f"{tag}{k}-%"]
            ).fetchone() == (100,)
        for report in reports[1::2]:
            for problem in report.problems:
                assert_danish_problem(problem)
    summaries = con.execute(
        "SELECT count(DISTINCT summary), count(*) FROM inquiry WHERE inquiry_id LIKE 'delt-%'"
    ).fetchone()
    assert summaries == (1, 50), "the shared rows hold one whole import, not a mix"
