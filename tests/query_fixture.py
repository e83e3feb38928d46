"""A small hand-made database whose every aggregate can be counted by eye."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from data_model.importer import import_file
from queries.filters import Filters
from queries.periods import Span
from tests.conftest import TODAY, write

# 2024: 4 inquiries (3 complaints) + 1 internal; 2025: 6 inquiries (2 complaints).
INQUIRIES = """inquiry_id,municipality_code,received,closed,kind_code,unit_id,outcome_code
i1,999,2024-01-15,2024-02-01,klage,999-sos-born,genoptaget
i2,999,2024-03-10,,klage,999-sos-born,henstilling
i3,999,2024-03-20,,vejledning,999-tek,
i4,999,2024-11-05,,klage,999-tek,ingen_kritik
i5,999,2024-06-01,,intern,999-sos,
j1,999,2025-01-10,,klage,999-sos-born,genoptaget
j2,999,2025-02-10,,vejledning,999-sos-born,
j3,999,2025-02-11,,vejledning,999-sos-born,
j4,999,2025-05-01,,vejledning,999-tek,
j5,999,2025-07-01,,klage,999-tek,genoptaget
j6,999,2025-12-01,,vejledning,999-tek,
n1,998,2025-03-01,,klage,998-tek,
"""
POINTS = """point_id,inquiry_id,theme_code,unit_id
p1,i1,begrundelse,
p2,i1,sagsbehandlingstid,
p3,i2,partshoering,
p4,i4,sagsbehandlingstid,999-tek
p5,j1,sagsbehandlingstid,
p6,j5,begrundelse,
p7,j5,sagsbehandlingstid,999-sos-born
"""
DECISIONS = """decision_id,municipality_code,unit_id,law_area_code,decided,outcome_code,remark_codes
d1,999,999-sos-born,boern_handicap,2024-02-01,stadfaestet,
d2,999,999-sos-born,boern_handicap,2024-03-01,hjemvist,begrundelse;oplysning
d3,999,999-sos-born,boern_handicap,2024-04-01,aendret_ophaevet,begrundelse
d4,999,999-tek,andet,2024-05-01,afvist,
d5,999,999-tek,andet,2024-06-01,stadfaestet,sagsbehandlingstid
"""
STATISTICS = """municipality_code,year,law_area_code,decided_on_merits,changed,sent_back,rejected
999,2023,boern_handicap,20,2,3,1
999,2024,boern_handicap,10,1,1,0
998,2023,boern_handicap,10,1,0,0
998,2024,boern_handicap,10,3,3,0
000,2023,boern_handicap,1000,100,150,20
000,2024,boern_handicap,1000,120,130,20
"""
RECOMMENDATIONS = """recommendation_id,municipality_code,period_id,made_on,due_on,title,target_unit_ids,theme_codes,whole_municipality
r1,999,999-2024,2024-07-01,2025-06-30,Begrund afgørelser,999-sos,begrundelse,false
r2,999,999-2024,2024-07-01,,Svar hurtigere,999-tek,sagsbehandlingstid,false
r3,999,999-2024,2025-01-01,2026-01-01,Én kommune,,,true
"""
FOLLOW_UPS = """follow_up_id,recommendation_id,date,status_code,text
f1,r1,2024-12-01,i_gang,Procedure under udarbejdelse
f2,r1,2025-03-01,implementeret,Ny skabelon taget i brug
f3,r2,2024-09-01,i_gang,Vi ser på det
"""


def load(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    for kind, text in [
        ("inquiries", INQUIRIES),
        ("complaint_points", POINTS),
        ("appeal_decisions", DECISIONS),
        ("appeal_statistics", STATISTICS),
        ("recommendations", RECOMMENDATIONS),
        ("follow_ups", FOLLOW_UPS),
    ]:
        report = import_file(con, write(tmp_path / f"q_{kind}.csv", text), kind, today=TODAY)
        assert report.ok, report.problems
    return con


# The two report years of municipality 999 and its filter, as the query tests use them.
Y2024 = Span(date(2024, 1, 1), date(2024, 12, 31), "2024")
Y2025 = Span(date(2025, 1, 1), date(2025, 12, 31), "2025")
F = Filters(municipalities=("999",))
