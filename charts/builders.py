"""Chart builders: frames in, finished Altair charts out (one per chart type the pages need).

Each builder takes the frame a query returned plus a ChartMeta and returns ``finish(...)``'s
chart, so every chart has a Danish title, what-is-counted subtitle, and a source line.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.theme import (
    COMPARISON,
    DECREASE,
    INCREASE,
    LINE,
    MUTED,
    PALETTE,
    PRIMARY,
    SUBTLE_TEXT,
    TEXT,
    TWO_LINE_LABELS,
    WIDTH,
    ChartMeta,
    finish,
)
from data_model.denmark import WHOLE_COUNTRY_NAME
from data_model.labels import UNDER_SMALL_N, format_count, format_percent

COUNT_FORMAT = ",d"
SHARE_FORMAT = ".0%"


def _bar_height(rows: int) -> int:
    return max(120, min(34 * rows, 900))


LABEL_ROW_PX = 20  # a value label (13 px type) needs this much of a bar's band to not overlap


def labels_fit(height: int, rows: int) -> bool:
    """Whether value labels beside ``rows`` bars in ``height`` px stay clear of each other."""
    return rows == 0 or height / rows >= LABEL_ROW_PX


def _largest(frame: pl.DataFrame, label: str, value: str) -> tuple[str, float] | None:
    """The label and value of the largest row (for a chart's one-sentence description)."""
    rows = frame.filter(pl.col(value).is_not_null()).sort(value, descending=True)
    return (str(rows[label][0]), float(rows[value][0])) if rows.height else None


def breakdown_bars(
    frame: pl.DataFrame, meta: ChartMeta, *, count_title: str, label_title: str = ""
) -> alt.VConcatChart:
    """Horizontal bars, largest first, count printed at the bar end; share and n in the tooltip.

    Expects columns label, count and optionally share, n.
    """
    order = frame.sort("count", descending=True, nulls_last=True)["label"].to_list()
    tooltip = [
        alt.Tooltip("label:N", title=label_title or "Kategori"),
        alt.Tooltip("count:Q", title=count_title, format=COUNT_FORMAT),
    ]
    if "share" in frame.columns:
        tooltip.append(alt.Tooltip("share:Q", title="Andel", format=".1%"))
    if "n" in frame.columns:
        tooltip.append(alt.Tooltip("n:Q", title="n", format=COUNT_FORMAT))
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=order, title=label_title or None),
        x=alt.X("count:Q", title=count_title, axis=alt.Axis(format=COUNT_FORMAT, tickMinStep=1)),
        tooltip=tooltip,
    )
    bars = base.mark_bar(color=PRIMARY)
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("count:Q", format=COUNT_FORMAT))
    top = _largest(frame, "label", "count")
    description = f"Søjlediagram: {meta.title.lower()} for {frame.height} kategorier" + (
        f"; flest i {top[0]} ({format_count(top[1])})." if top else "."
    )
    chart = (bars + labels).properties(width=WIDTH, height=_bar_height(frame.height))
    return finish(chart, meta, description=description)


def unit_bars(frame: pl.DataFrame, meta: ChartMeta) -> alt.VConcatChart:
    """Per unit: complaints and other inquiries stacked, complaint share in the tooltip.

    Expects the frame of ``queries.inquiries.unit_table``.
    """
    if "label" not in frame.columns:
        frame = frame.with_columns((pl.col("department") + " › " + pl.col("unit")).alias("label"))
    long = (
        frame.with_columns((pl.col("inquiries") - pl.col("complaints")).alias("other"))
        .unpivot(
            index=["label", "inquiries", "complaints", "complaint_share"],
            on=["complaints", "other"],
            variable_name="part",
            value_name="count",
        )
        .with_columns(pl.col("part").replace_strict({"complaints": "Klager", "other": "Øvrige henvendelser"}))
    )
    # "Øvrige henvendelser" only when some unit has any (not where every inquiry is a complaint)
    parts = ["Klager"] + (
        ["Øvrige henvendelser"] if (frame["inquiries"] - frame["complaints"]).sum() > 0 else []
    )
    long = long.filter(pl.col("part").is_in(parts))
    order = frame.sort("inquiries", descending=True, nulls_last=True)["label"].to_list()
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            # department and unit on two lines, so long unit names are never cut
            y=alt.Y(
                "label:N",
                sort=order,
                title=None,
                axis=alt.Axis(labelExpr=TWO_LINE_LABELS, labelLimit=0, labelPadding=6, labelOverlap=False),
            ),
            x=alt.X(
                "count:Q",
                stack="zero",
                title="Henvendelser",
                axis=alt.Axis(format=COUNT_FORMAT, tickMinStep=1),
            ),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=parts, range=[PALETTE[5], PALETTE[4]][: len(parts)]),
            ),
            order=alt.Order("part:N", sort="ascending"),
            tooltip=[
                alt.Tooltip("label:N", title="Enhed"),
                alt.Tooltip("inquiries:Q", title="Henvendelser", format=COUNT_FORMAT),
                alt.Tooltip("complaints:Q", title="Heraf klager", format=COUNT_FORMAT),
                alt.Tooltip("complaint_share:Q", title="Klageandel", format=".0%"),
            ],
        )
        .properties(width=WIDTH, height=max(120, min(40 * frame.height, 1000)))
    )
    # named as on the axis: a unit that is its department is said once
    top = _largest(
        frame.with_columns(pl.col("label").str.replace_all(" › ", ", ", literal=True)), "label", "inquiries"
    )
    description = (
        f"Stablet søjlediagram: henvendelser pr. enhed for {frame.height} enheder, delt i "
        + " og ".join(part.lower() for part in parts)
        + (f"; flest i {top[0]} ({format_count(top[1])})." if top else ".")
    )
    return finish(chart, meta, description=description)


EVENT_LINE = 15  # px per line of an event annotation
EVENT_WRAP = 34  # characters per line before an annotation wraps


def _wrap(text: str, width: int = EVENT_WRAP) -> str:
    """Break a label into lines of at most ``width`` characters (at spaces), joined by newlines."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _event_layers(
    events: pl.DataFrame, frame: pl.DataFrame, order: list[str]
) -> tuple[alt.LayerChart | None, int]:
    """Dashed rules at dated events with their (wrapped) labels stacked in a band above the
    data, so they never cross a line; labels in the right half of the plot are right-aligned so
    they stay inside it. Returns the layers and the band's height in pixels."""
    marks = events.join(frame.select("bucket", "bucket_label").unique(), on="bucket", how="inner")
    if marks.is_empty():
        return None, 0
    position = {label: i for i, label in enumerate(order)}
    rows = []
    top = 4
    for bucket_label, label in marks.sort("bucket").select("bucket_label", "label").iter_rows():
        text = _wrap(label)
        right = position[bucket_label] > (len(order) - 1) / 2
        rows.append({"bucket_label": bucket_label, "text": text, "offset": top, "right": right})
        top += EVENT_LINE * (text.count("\n") + 1) + 3
    data = pl.DataFrame(rows)
    x = alt.X("bucket_label:O", sort=order)
    rule = alt.Chart(data).mark_rule(color=LINE, strokeDash=[4, 4]).encode(x=x)
    layers = rule
    for right in (False, True):
        part = data.filter(pl.col("right") == right)
        if part.height:
            layers += (
                alt.Chart(part)
                .mark_text(
                    align="right" if right else "left",
                    dx=-5 if right else 5,
                    color=SUBTLE_TEXT,
                    baseline="top",
                    fontSize=12,
                    lineBreak="\n",
                    lineHeight=EVENT_LINE,
                )
                .encode(x=x, y=alt.Y("offset:Q", scale=None), text="text:N")
            )
    return layers, top


def trend_lines(
    frame: pl.DataFrame,
    meta: ChartMeta,
    *,
    count_title: str,
    events: pl.DataFrame | None = None,
) -> alt.VConcatChart:
    """Counts over time, one line per series; points under the small-number threshold are drawn
    hollow so a 2-to-4 'jump' does not read as a trend (and the chart says so in words). The
    legend shows each series as a line, so a hollow circle only ever means "under 5". Optional
    dated event annotations sit in a band above the data.

    Expects bucket (date), bucket_label, series, count, small.
    """
    order = frame.sort("bucket")["bucket_label"].unique(maintain_order=True).to_list()
    series = frame["series"].unique(maintain_order=True).to_list()
    many = len(series) > 1
    height = 340
    layers_events, band = (None, 0) if events is None else _event_layers(events, frame, order)
    if band > height * 0.4:
        height = int(band / 0.4)
    top = frame["count"].max() or 0
    # room above the highest point for the event labels
    domain_max = float(top) * height / (height - band - 8) if band and top else None
    color = (
        alt.Color("series:N", title=None, legend=alt.Legend(symbolType="stroke", symbolSize=300))
        if many
        else alt.value(PRIMARY)
    )
    base = (
        alt.Chart(frame)
        .encode(
            x=alt.X(
                "bucket_label:O",
                sort=order,
                title=None,
                axis=alt.Axis(labelAngle=0 if len(order) <= 12 else -45),
            ),
            y=alt.Y(
                "count:Q",
                title=count_title,
                axis=alt.Axis(format=COUNT_FORMAT, tickMinStep=1),
                scale=alt.Scale(domainMax=domain_max, nice=False) if domain_max else alt.Undefined,
            ),
            tooltip=[
                alt.Tooltip("bucket_label:N", title="Periode"),
                alt.Tooltip("series:N", title="Gruppe"),
                alt.Tooltip("count:Q", title=count_title, format=COUNT_FORMAT),
                alt.Tooltip("small_text:N", title="Under 5"),
            ],
        )
        .transform_calculate(small_text="datum.small ? 'ja' : 'nej'")
    )
    series_colour = alt.Color("series:N", legend=None) if many else alt.value(PRIMARY)
    series_fill = alt.Fill("series:N", legend=None) if many else alt.value(PRIMARY)
    points = base.mark_point(size=90, filled=False, opacity=1, strokeWidth=2.5).encode(
        color=series_colour, fill=alt.condition("datum.small", alt.value("white"), series_fill)
    )
    layers = base.mark_line(strokeWidth=3).encode(color=color) + points
    if layers_events is not None:
        layers = layers + layers_events
    if frame["small"].any():
        meta = ChartMeta(meta.title, meta.subtitle, f"{meta.source} · Åbne punkter: {UNDER_SMALL_N}")
    first, last = order[0], order[-1]
    if many:
        description = (
            f"Kurvediagram: {meta.title.lower()} fra {first} til {last}, "
            f"én kurve for hver af {len(series)} grupper: {', '.join(map(str, series))}."
        )
    else:
        counts = frame.sort("bucket")["count"]
        description = (
            f"Kurvediagram: {meta.title.lower()} fra {first} til {last}, "
            f"fra {format_count(counts[0])} til {format_count(counts[-1])}, højst {format_count(counts.max())}."
        )
    return finish(layers.properties(width=WIDTH, height=height), meta, description=description)


def share_trend(frame: pl.DataFrame, meta: ChartMeta) -> alt.VConcatChart:
    """Complaints as a share of the citizen inquiries over time (the reports' base), with n in the
    tooltip and printed under each point; a bucket without a meaningful share is left out.

    Expects bucket_label, share, complaints and citizen_inquiries (or inquiries) as n.
    """
    n_col = "citizen_inquiries" if "citizen_inquiries" in frame.columns else "inquiries"
    data = frame.filter(pl.col("share").is_not_null())
    order = data.sort("bucket")["bucket_label"].to_list()
    base = alt.Chart(data).encode(
        x=alt.X(
            "bucket_label:O", sort=order, title=None, axis=alt.Axis(labelAngle=0 if len(order) <= 12 else -45)
        ),
        y=alt.Y(
            "share:Q",
            title="Klager i procent af borgerhenvendelser",
            axis=alt.Axis(format=SHARE_FORMAT),
            scale=alt.Scale(domain=[0, 1]),
        ),
        tooltip=[
            alt.Tooltip("bucket_label:N", title="Periode"),
            alt.Tooltip("share:Q", title="Klageandel", format=".1%"),
            alt.Tooltip("complaints:Q", title="Klager", format=COUNT_FORMAT),
            alt.Tooltip(f"{n_col}:Q", title="n (borgerhenvendelser)", format=COUNT_FORMAT),
        ],
    )
    line = base.mark_line(strokeWidth=3, color=PRIMARY) + base.mark_point(size=80, color=PRIMARY).encode(
        fill=alt.condition("datum.small", alt.value("white"), alt.value(PRIMARY))
    )
    n_text = base.mark_text(dy=16, fontSize=11, color=SUBTLE_TEXT).encode(
        text=alt.Text(f"{n_col}:Q", format="n=,d")
    )
    rows = frame.filter(pl.col("share").is_not_null()).sort("bucket")
    description = "Kurvediagram: klager i procent af borgerhenvendelser" + (
        f" fra {rows['bucket_label'][0]} ({format_percent(rows['share'][0] * 100)}) "
        f"til {rows['bucket_label'][-1]} ({format_percent(rows['share'][-1] * 100)})."
        if rows.height
        else "."
    )
    return finish((line + n_text).properties(width=WIDTH, height=300), meta, description=description)


def change_bars(frame: pl.DataFrame, meta: ChartMeta) -> alt.VConcatChart:
    """Year over year: the difference per label, increases and decreases in two colours; changes
    within chance (``uncertain``) are drawn pale and marked "(usikker)", both counts printed.

    Expects label, current, previous, diff, pct_change, uncertain.
    """
    data = frame.with_columns(
        pl.when(pl.col("diff") > 0)
        .then(pl.lit("Stigning"))
        .when(pl.col("diff") < 0)
        .then(pl.lit("Fald"))
        .otherwise(pl.lit("Uændret"))
        .alias("direction")
    )
    order = data.sort("diff", descending=True, nulls_last=True)["label"].to_list()
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=None),
        x=alt.X("diff:Q", title="Ændring i antal", axis=alt.Axis(format="+,d", tickMinStep=1)),
        tooltip=[
            alt.Tooltip("label:N", title="Kategori"),
            alt.Tooltip("current:Q", title="Denne periode", format=COUNT_FORMAT),
            alt.Tooltip("previous:Q", title="Forrige periode", format=COUNT_FORMAT),
            alt.Tooltip("diff:Q", title="Ændring", format="+,d"),
            alt.Tooltip("pct_change:Q", title="Ændring i %", format="+,.0f"),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "direction:N",
            title=None,
            scale=alt.Scale(domain=["Stigning", "Fald", "Uændret"], range=[INCREASE, DECREASE, MUTED]),
        ),
        opacity=alt.condition("datum.uncertain", alt.value(0.35), alt.value(1.0)),
    )
    labels = (
        base.mark_text(align="left", dx=4)
        .encode(
            text=alt.Text("label_text:N"),
            x=alt.value("width"),  # just right of the plot, however wide it is drawn
        )
        .transform_calculate(
            # a suppressed (null) count prints as a dash, never as "null"
            label_text="(isValid(datum.previous) ? datum.previous : '–') + ' → ' + (isValid(datum.current) ? datum.current : '–')"
            # paleness is not the only sign of a change within chance: it says so in words
            + " + (datum.uncertain ? ' (usikker)' : '')"
        )
    )
    chart = (bars + labels).properties(width=WIDTH, height=_bar_height(frame.height))
    rise = _largest(data, "label", "diff")
    fall = _largest(data.with_columns(-pl.col("diff")), "label", "diff")
    parts = [f"størst stigning i {rise[0]} (+{format_count(rise[1])})"] if rise and rise[1] > 0 else []
    parts += [f"størst fald i {fall[0]} (−{format_count(fall[1])})"] if fall and fall[1] > 0 else []
    description = "Søjlediagram: ændringen i antal pr. kategori fra forrige periode" + (
        "; " + ", ".join(parts) + "." if parts else "."
    )
    return finish(chart, meta, width=WIDTH + 140, description=description)


def _stacked_bars(
    frame: pl.DataFrame,
    meta: ChartMeta,
    *,
    group: tuple[str, str],
    part: tuple[str, str],
    part_order: list[str],
    count_title: str,
    stack_order: str | None = None,
) -> alt.VConcatChart:
    """Horizontal bars per group (largest total first), stacked by part in ``part_order``.

    ``group`` and ``part`` are (column, Danish tooltip title); the frame also has ``count``.
    """
    group_col, group_title = group
    part_col, part_title = part
    groups = (
        frame.group_by(group_col)
        .agg(pl.col("count").sum())
        .sort("count", descending=True, nulls_last=True)[group_col]
        .to_list()
    )
    encoding = {
        "y": alt.Y(f"{group_col}:N", sort=groups, title=None),
        "x": alt.X("count:Q", title=count_title, axis=alt.Axis(format=COUNT_FORMAT, tickMinStep=1)),
        "color": alt.Color(
            f"{part_col}:N",
            title=None,
            sort=part_order,
            scale=alt.Scale(domain=part_order, range=PALETTE[: len(part_order)]),
        ),
        "tooltip": [
            alt.Tooltip(f"{group_col}:N", title=group_title),
            alt.Tooltip(f"{part_col}:N", title=part_title),
            alt.Tooltip("count:Q", title=count_title, format=COUNT_FORMAT),
        ],
    }
    if stack_order:
        encoding["order"] = alt.Order(f"{stack_order}:Q")
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(**encoding)
        .properties(width=WIDTH, height=_bar_height(len(groups)))
    )
    description = (
        f"Stablet søjlediagram: {count_title.lower()} pr. {group_title.lower()} for {len(groups)} grupper, "
        f"delt efter {part_title.lower()}: {', '.join(part_order)}."
    )
    return finish(chart, meta, description=description)


def appeal_results(frame: pl.DataFrame, meta: ChartMeta) -> alt.VConcatChart:
    """Ankestyrelsen's decisions per group, stacked by result in the board's own order.

    Expects series, outcome, outcome_order, count.
    """
    outcomes = frame.sort("outcome_order")["outcome"].unique(maintain_order=True).to_list()
    return _stacked_bars(
        frame,
        meta,
        group=("series", "Område"),
        part=("outcome", "Resultat"),
        part_order=outcomes,
        count_title="Afgørelser",
        stack_order="outcome_order",
    )


def danmarkskort_lines(frame: pl.DataFrame, meta: ChartMeta, municipality: str) -> alt.VConcatChart:
    """Own omgørelsesprocent against the whole country per year; n and rank in the tooltip."""
    long = frame.select(
        pl.col("year").cast(pl.Utf8),
        "n",
        "rank",
        "ranked_of",
        pl.col("pct").alias(municipality),
        pl.col("country_pct").alias(WHOLE_COUNTRY_NAME),
    ).unpivot(index=["year", "n", "rank", "ranked_of"], variable_name="series", value_name="pct")
    base = alt.Chart(long).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("pct:Q", title="Omgørelsesprocent", axis=alt.Axis(format=",.0f")),
        color=alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=[municipality, WHOLE_COUNTRY_NAME], range=[PRIMARY, COMPARISON]),
        ),
        tooltip=[
            alt.Tooltip("series:N", title=""),
            alt.Tooltip("year:N", title="År"),
            alt.Tooltip("pct:Q", title="Omgørelsesprocent", format=",.1f"),
            alt.Tooltip("n:Q", title=f"n ({municipality})", format=COUNT_FORMAT),
            alt.Tooltip("rank:Q", title="Placering (1 = lavest)"),
        ],
    )
    chart = base.mark_line(strokeWidth=3) + base.mark_point(size=80, filled=True)
    years = frame.sort("year")["year"].to_list()
    description = f"Kurvediagram: omgørelsesprocent for {municipality} og hele landet" + (
        f" år for år fra {years[0]} til {years[-1]}." if years else "."
    )
    return finish(chart.properties(width=WIDTH, height=300), meta, description=description)


def status_bars(frame: pl.DataFrame, meta: ChartMeta, status_order: list[str]) -> alt.VConcatChart:
    """Recommendations per department, stacked by their current follow-up status."""
    return _stacked_bars(
        frame,
        meta,
        group=("department", "Forvaltning"),
        part=("status", "Status"),
        part_order=status_order,
        count_title="Anbefalinger",
    )


def before_after_bars(frame: pl.DataFrame, meta: ChartMeta) -> alt.VConcatChart:
    """Complaints in a recommendation's themes and units before and after it; an unfinished
    'after' window is drawn pale and says so."""
    data = frame.with_columns(
        pl.when(pl.col("complete"))
        .then(pl.col("window"))
        .otherwise(pl.col("window") + " (ufuldstændig)")
        .alias("label")
    )
    base = alt.Chart(data).encode(
        x=alt.X("label:N", sort=data["label"].to_list(), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("complaints:Q", title="Klager", axis=alt.Axis(format=COUNT_FORMAT, tickMinStep=1)),
        tooltip=[
            alt.Tooltip("label:N", title=""),
            alt.Tooltip("start:T", title="Fra", format="%d.%m.%Y"),
            alt.Tooltip("end:T", title="Til", format="%d.%m.%Y"),
            alt.Tooltip("complaints:Q", title="Klager"),
        ],
    )
    bars = base.mark_bar(size=60, color=PRIMARY).encode(
        opacity=alt.condition("datum.complete", alt.value(1.0), alt.value(0.4))
    )
    text = base.mark_text(dy=-10).encode(text=alt.Text("complaints:Q", format=COUNT_FORMAT))
    counts = ", ".join(
        f"{label}: {format_count(n)}" for label, n in data.select("label", "complaints").iter_rows()
    )
    description = f"Søjlediagram: klager før og efter anbefalingen ({counts})."
    return finish((bars + text).properties(width=360, height=260), meta, width=360, description=description)


def benchmark_bars(frame: pl.DataFrame, meta: ChartMeta, *, value_title: str) -> alt.VConcatChart:
    """The same published measure for several municipalities and periods, side by side.

    Expects municipality, period, value (and per_1000 for the tooltip when known).
    """
    data = frame.with_columns((pl.col("municipality") + " " + pl.col("period")).alias("label"))
    if "source" in data.columns and data["label"].is_duplicated().any():
        # each row its own bar (never two bars and their value labels drawn over each other)
        data = data.with_columns(
            pl.when(pl.col("label").is_duplicated())
            .then(pl.col("label") + " (" + pl.col("source") + ")")
            .otherwise(pl.col("label"))
            .alias("label")
        )
    base = alt.Chart(data).encode(
        y=alt.Y(
            "label:N",
            sort=data.sort("value", descending=True, nulls_last=True)["label"].to_list(),
            title=None,
        ),
        x=alt.X("value:Q", title=value_title, axis=alt.Axis(format=COUNT_FORMAT)),
        color=alt.Color("municipality:N", title=None, legend=None),
        tooltip=[
            alt.Tooltip("municipality:N", title="Kommune"),
            alt.Tooltip("period:N", title="Periode"),
            alt.Tooltip("value:Q", title=value_title, format=COUNT_FORMAT),
            alt.Tooltip("per_1000:Q", title="Pr. 1.000 indbyggere", format=",.2f"),
        ],
    )
    height = _bar_height(data.height)
    chart: alt.LayerChart | alt.Chart = base.mark_bar()
    if labels_fit(height, data.height):  # else the values are in the tooltip and the table
        chart = chart + base.mark_text(align="left", dx=4).encode(
            text=alt.Text("value:Q", format=COUNT_FORMAT), color=alt.value(TEXT)
        )
    top = _largest(data, "label", "value")
    description = f"Søjlediagram: {value_title.lower()} for {data.height} kommuner og perioder" + (
        f"; højest {top[0]} ({format_count(top[1])})." if top else "."
    )
    return finish(chart.properties(width=WIDTH, height=height), meta, description=description)
