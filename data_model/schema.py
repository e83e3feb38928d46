"""DuckDB schema as ordered migrations; ``schema_version`` records which have run."""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "core tables",
        """
        CREATE TABLE municipality (
            code VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            is_named BOOLEAN NOT NULL DEFAULT TRUE
        );
        CREATE TABLE population (
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            year INTEGER NOT NULL,
            population INTEGER NOT NULL CHECK (population >= 0),
            PRIMARY KEY (municipality_code, year)
        );
        CREATE TABLE report_period (
            period_id VARCHAR PRIMARY KEY,
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            label VARCHAR NOT NULL,
            start_date DATE NOT NULL,
            end_date DATE NOT NULL,
            CHECK (end_date >= start_date)
        );
        CREATE TABLE category (
            kind VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            label VARCHAR NOT NULL,
            parent_code VARCHAR,
            sort_order INTEGER NOT NULL DEFAULT 0,
            is_complaint BOOLEAN,
            PRIMARY KEY (kind, code)
        );
        CREATE TABLE theme (
            code VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            parent_code VARCHAR,
            municipality_code VARCHAR
        );
        CREATE TABLE org_unit (
            unit_id VARCHAR PRIMARY KEY,
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            name VARCHAR NOT NULL,
            level VARCHAR NOT NULL,
            sector_code VARCHAR NOT NULL,
            parent_id VARCHAR,
            valid_from DATE,
            valid_to DATE
        );
        CREATE TABLE inquiry (
            inquiry_id VARCHAR PRIMARY KEY,
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            received DATE NOT NULL,
            kind_code VARCHAR NOT NULL,
            closed DATE,
            unit_id VARCHAR REFERENCES org_unit(unit_id),
            case_type_code VARCHAR,
            channel_code VARCHAR,
            outcome_code VARCHAR,
            legal_effect_code VARCHAR,
            summary VARCHAR,
            provenance VARCHAR NOT NULL,
            CHECK (closed IS NULL OR closed >= received)
        );
        CREATE TABLE complaint_point (
            point_id VARCHAR PRIMARY KEY,
            inquiry_id VARCHAR NOT NULL REFERENCES inquiry(inquiry_id),
            theme_code VARCHAR NOT NULL REFERENCES theme(code),
            unit_id VARCHAR REFERENCES org_unit(unit_id)
        );
        CREATE TABLE appeal_decision (
            decision_id VARCHAR PRIMARY KEY,
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            law_area_code VARCHAR NOT NULL,
            decided DATE NOT NULL,
            outcome_code VARCHAR NOT NULL,
            unit_id VARCHAR REFERENCES org_unit(unit_id),
            remark_codes VARCHAR[] NOT NULL,
            provenance VARCHAR NOT NULL
        );
        CREATE TABLE appeal_statistic (
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            year INTEGER NOT NULL,
            law_area_code VARCHAR NOT NULL,
            decided_on_merits INTEGER NOT NULL CHECK (decided_on_merits >= 0),
            changed INTEGER NOT NULL CHECK (changed >= 0),
            sent_back INTEGER NOT NULL CHECK (sent_back >= 0),
            rejected INTEGER NOT NULL CHECK (rejected >= 0),
            provenance VARCHAR NOT NULL,
            PRIMARY KEY (municipality_code, year, law_area_code)
        );
        CREATE TABLE recommendation (
            recommendation_id VARCHAR PRIMARY KEY,
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            made_on DATE NOT NULL,
            title VARCHAR NOT NULL,
            text VARCHAR,
            period_id VARCHAR REFERENCES report_period(period_id),
            due_on DATE,
            target_unit_ids VARCHAR[] NOT NULL,
            theme_codes VARCHAR[] NOT NULL,
            whole_municipality BOOLEAN NOT NULL
        );
        CREATE TABLE follow_up (
            follow_up_id VARCHAR PRIMARY KEY,
            recommendation_id VARCHAR NOT NULL REFERENCES recommendation(recommendation_id),
            date DATE NOT NULL,
            status_code VARCHAR NOT NULL,
            text VARCHAR,
            source VARCHAR
        );
        CREATE TABLE published_figure (
            figure_id VARCHAR PRIMARY KEY,
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            table_name VARCHAR NOT NULL,
            measure VARCHAR NOT NULL,
            value DOUBLE NOT NULL,
            value_unit VARCHAR NOT NULL,
            period_id VARCHAR REFERENCES report_period(period_id),
            dimension VARCHAR,
            label VARCHAR,
            dimension2 VARCHAR,
            label2 VARCHAR,
            n INTEGER,
            unit_id VARCHAR,
            kind_code VARCHAR,
            case_type_code VARCHAR,
            theme_code VARCHAR,
            outcome_code VARCHAR,
            legal_effect_code VARCHAR,
            appeal_outcome_code VARCHAR,
            law_area_code VARCHAR,
            remark_code VARCHAR,
            source_file VARCHAR,
            source_line INTEGER,
            flag VARCHAR,
            note VARCHAR
        );
        CREATE TABLE event (
            event_id VARCHAR PRIMARY KEY,
            date DATE NOT NULL,
            label VARCHAR NOT NULL,
            municipality_code VARCHAR
        );
        CREATE SEQUENCE audit_id_seq;
        CREATE TABLE audit_log (
            audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
            logged_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            table_name VARCHAR NOT NULL,
            record_id VARCHAR,
            old_value VARCHAR,
            new_value VARCHAR
        );
        """,
    ),
    (
        2,
        "import log: which file brought what, for the provenance view",
        """
        CREATE SEQUENCE import_id_seq;
        CREATE TABLE import_log (
            import_id BIGINT PRIMARY KEY DEFAULT nextval('import_id_seq'),
            logged_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            rows_new INTEGER NOT NULL,
            rows_changed INTEGER NOT NULL,
            rows_unchanged INTEGER NOT NULL
        );
        """,
    ),
    (
        3,
        "hierarchy views: each unit's top-level department, each theme's main theme",
        """
        CREATE VIEW unit_tree AS
        WITH RECURSIVE walk(unit_id, top_id, depth) AS (
            SELECT unit_id, unit_id, 0 FROM org_unit WHERE parent_id IS NULL
            UNION ALL
            SELECT u.unit_id, w.top_id, w.depth + 1
            FROM org_unit u JOIN walk w ON u.parent_id = w.unit_id
            WHERE w.depth < 20
        )
        SELECT w.unit_id, u.name AS unit_name, u.sector_code, u.municipality_code,
               w.top_id, t.name AS top_name, w.depth
        FROM walk w JOIN org_unit u ON u.unit_id = w.unit_id JOIN org_unit t ON t.unit_id = w.top_id;

        CREATE VIEW theme_tree AS
        SELECT t.code, t.name, coalesce(t.parent_code, t.code) AS main_code,
               coalesce(p.name, t.name) AS main_name
        FROM theme t LEFT JOIN theme p ON p.code = t.parent_code;
        """,
    ),
    (
        4,
        "follow_up without a foreign key to recommendation",
        # DuckDB updates list columns (target_unit_ids, theme_codes) by delete+insert, which its
        # foreign-key check refuses for a recommendation that has follow-ups. The importer and
        # the forms check the reference, and `python -m data_model check` reports dangling ones.
        """
        CREATE TABLE follow_up_new (
            follow_up_id VARCHAR PRIMARY KEY,
            recommendation_id VARCHAR NOT NULL,
            date DATE NOT NULL,
            status_code VARCHAR NOT NULL,
            text VARCHAR,
            source VARCHAR
        );
        INSERT INTO follow_up_new SELECT * FROM follow_up;
        DROP TABLE follow_up;
        ALTER TABLE follow_up_new RENAME TO follow_up;
        """,
    ),
    (
        5,
        "unit_tree without recursion",
        # The recursive view was re-run inside every query and led DuckDB to poor join orders
        # (docs/BENCHMARKS.md). Municipalities name three levels (forvaltning > område >
        # afdeling); four are supported, and a deeper unit takes its fourth-level ancestor as top.
        """
        CREATE OR REPLACE VIEW unit_tree AS
        SELECT u.unit_id, u.name AS unit_name, u.sector_code, u.municipality_code,
               coalesce(p3.unit_id, p2.unit_id, p1.unit_id, u.unit_id) AS top_id,
               coalesce(p3.name, p2.name, p1.name, u.name) AS top_name,
               (p1.unit_id IS NOT NULL)::INTEGER + (p2.unit_id IS NOT NULL)::INTEGER
                 + (p3.unit_id IS NOT NULL)::INTEGER AS depth
        FROM org_unit u
        LEFT JOIN org_unit p1 ON p1.unit_id = u.parent_id
        LEFT JOIN org_unit p2 ON p2.unit_id = p1.parent_id
        LEFT JOIN org_unit p3 ON p3.unit_id = p2.parent_id;
        """,
    ),
    (
        6,
        "report templates: each municipality's own tables and figures, in its report's order",
        # kind 'crosstab' holds a cross-table spec as JSON (queries.crosstab.CrossSpec), kind
        # 'figure' the key of a standard figure (report_pack.figures); see report_pack/template.py
        """
        CREATE TABLE report_template (
            municipality_code VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            caption VARCHAR,
            spec VARCHAR,
            figure VARCHAR,
            chart BOOLEAN NOT NULL DEFAULT TRUE,
            PRIMARY KEY (municipality_code, position)
        );
        """,
    ),
    (
        7,
        "the advisor's own sheets: saved column and value mappings; settings",
        # sheet_mapping: per municipality and kind, her headings -> roles and her names -> codes
        # (JSON, see data_model/sheet_mapping.py). app_setting: small flags such as a database
        # that was created empty on purpose (it opens on the set-up, not on sample data).
        """
        CREATE TABLE sheet_mapping (
            municipality_code VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            mapping VARCHAR NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (municipality_code, kind)
        );
        CREATE TABLE app_setting (
            key VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        );
        """,
    ),
    (
        8,
        "complaint_point without a foreign key to inquiry",
        # DuckDB updates an indexed column (inquiry.unit_id, a foreign key) by delete+insert, which
        # its foreign-key check refuses for an inquiry that complaint points reference: moving such
        # an inquiry to another unit failed. As with follow_up (migration 4), the importer and the
        # forms check the reference, and `python -m data_model check` reports dangling ones.
        # The table is rebuilt under its own name (not created as _new and renamed): DuckDB keeps
        # the name a foreign key was created under in the referenced table, and a renamed table's
        # keys then break deletes from theme and org_unit.
        """
        CREATE TEMPORARY TABLE complaint_point_copy AS SELECT * FROM complaint_point;
        DROP TABLE complaint_point;
        CREATE TABLE complaint_point (
            point_id VARCHAR PRIMARY KEY,
            inquiry_id VARCHAR NOT NULL,
            theme_code VARCHAR NOT NULL REFERENCES theme(code),
            unit_id VARCHAR REFERENCES org_unit(unit_id)
        );
        INSERT INTO complaint_point SELECT point_id, inquiry_id, theme_code, unit_id FROM complaint_point_copy;
        DROP TABLE complaint_point_copy;
        """,
    ),
    (
        9,
        "complaint points carry their inquiry's municipality and received date; facts ordered by municipality and date",
        # A query for one municipality and period filtered complaint points only through the join
        # to inquiry, so every point in the country was read and joined (docs/BENCHMARKS.md). The
        # two columns are copies of the inquiry's, kept in step by every writer
        # (data_model.point_scope.sync_point_scope, called from importer.upsert and the forms) and
        # checked by `python -m data_model check`. inquiry, complaint_point and appeal_decision are
        # rebuilt in (municipality, date) order, so DuckDB's per-row-group min/max skip what a
        # one-municipality query does not need.
        # Rebuilt under their own names, as in migration 8; nothing references them by a foreign
        # key (migration 8 removed complaint_point's). Later imports append; a yearly import is
        # one date range, so the order largely holds.
        """
        CREATE TEMPORARY TABLE inquiry_copy AS SELECT * FROM inquiry;
        CREATE TEMPORARY TABLE complaint_point_copy AS
            SELECT p.point_id, p.inquiry_id, p.theme_code, p.unit_id, i.municipality_code, i.received
            FROM complaint_point p LEFT JOIN inquiry i ON i.inquiry_id = p.inquiry_id;
        DROP TABLE complaint_point;
        DROP TABLE inquiry;
        CREATE TABLE inquiry (
            inquiry_id VARCHAR PRIMARY KEY,
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            received DATE NOT NULL,
            kind_code VARCHAR NOT NULL,
            closed DATE,
            unit_id VARCHAR REFERENCES org_unit(unit_id),
            case_type_code VARCHAR,
            channel_code VARCHAR,
            outcome_code VARCHAR,
            legal_effect_code VARCHAR,
            summary VARCHAR,
            provenance VARCHAR NOT NULL,
            CHECK (closed IS NULL OR closed >= received)
        );
        INSERT INTO inquiry SELECT * FROM inquiry_copy ORDER BY municipality_code, received, inquiry_id;
        CREATE TABLE complaint_point (
            point_id VARCHAR PRIMARY KEY,
            inquiry_id VARCHAR NOT NULL,
            theme_code VARCHAR NOT NULL REFERENCES theme(code),
            unit_id VARCHAR REFERENCES org_unit(unit_id),
            municipality_code VARCHAR,
            received DATE
        );
        INSERT INTO complaint_point SELECT * FROM complaint_point_copy
            ORDER BY municipality_code, received, point_id;
        DROP TABLE complaint_point_copy;
        DROP TABLE inquiry_copy;
        CREATE TEMPORARY TABLE appeal_decision_copy AS SELECT * FROM appeal_decision;
        DROP TABLE appeal_decision;
        CREATE TABLE appeal_decision (
            decision_id VARCHAR PRIMARY KEY,
            municipality_code VARCHAR NOT NULL REFERENCES municipality(code),
            law_area_code VARCHAR NOT NULL,
            decided DATE NOT NULL,
            outcome_code VARCHAR NOT NULL,
            unit_id VARCHAR REFERENCES org_unit(unit_id),
            remark_codes VARCHAR[] NOT NULL,
            provenance VARCHAR NOT NULL
        );
        INSERT INTO appeal_decision SELECT * FROM appeal_decision_copy ORDER BY municipality_code, decided, decision_id;
        DROP TABLE appeal_decision_copy;
        """,
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]
