"""The stakeholder report: one self-contained HTML file (plotly.js inlined, no network) that says
the question, the data, the assumptions, the headline with its interval, the model comparison,
sensitivity, segments and a preview of the decisions.

Every piece of text from the user's file (file, column, series and customer names) reaches the
page through :func:`html.escape`, and the charts' JSON through plotly, which writes ``<`` as
``\\u003c``; a label is also entity-escaped for plotly's own tag reading (:func:`charts.text`)."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from importlib.metadata import version

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from payoff import formatting
from payoff.analysis import Analysis, next_decisions
from payoff.carry import charts, tables
from payoff.carry.segments import segment_gains
from payoff.carry.sensitivity import sensitivity, tornado
from payoff.errors import PayoffError
from payoff.evaluate.impact import Impact
from payoff.evaluate.summary import interval_note
from payoff.framings.base import Direction
from payoff.models.catalogue import STATUS_QUO, business_name

PREVIEW_ROWS = 20
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.headline { font-size: 1.4em; font-weight: 600; } .muted { color: #666; font-size: 0.9em; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def table_html(frame: pd.DataFrame, currency: str = "", unit: str = "day") -> str:
    """A table through the one formatting module (money with its currency, percentages, whole
    units, dates in the file's calendar, blank when missing); numbers aligned right."""
    kinds = formatting.kinds_of(frame)
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            kind = kinds[column]
            shown = formatting.cell(value, kind, currency, unit)
            numeric = kind != formatting.TEXT and kind != formatting.DATE
            cells.append(f'<td class="n">{_e(shown)}</td>' if numeric else f"<td>{_e(shown)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure(figure: go.Figure, div_id: str) -> str:
    return pio.to_html(figure, full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})


def _headline(impact: Impact) -> str:
    recommended = impact.recommended
    what = "saves" if impact.direction is Direction.COST else "gains"
    choice = f"keep {impact.status_quo_label}" if recommended.model == STATUS_QUO else business_name(recommended.model)
    money = formatting.money(recommended.gain, currency=impact.currency)
    if round(recommended.gain, 2) < 0:
        lost = formatting.money(-recommended.gain, currency=impact.currency)
        worse = f"cost {lost} more" if impact.direction is Direction.COST else f"earned {lost} less"
        line = f"Payoff's choice ({choice}) would have {worse} than {impact.status_quo_label}"
    elif round(recommended.gain, 2) == 0:
        line = f"Payoff's choice ({choice}): no gain over {impact.status_quo_label}"
    else:
        line = f"Payoff's choice ({choice}) {what} {money} against {impact.status_quo_label}"
    return (
        f'<p class="headline">{_e(line)}</p>'
        f"<p>{_e(interval_note(impact))}; it beat today in "
        f"{_e(formatting.chance(recommended.p_beats))} of reshuffled histories.</p><p>{_e(impact.narrative)}</p>"
    )


def _sensitivity(analysis: Analysis) -> str:
    try:
        sweeps = sensitivity(analysis)
    except PayoffError as error:
        return f"<p>Sensitivity could not be computed: {_e(error)}</p>"
    if not sweeps:
        return ""
    sentences = "".join(f"<li>{_e(f'{s.label}: {s.sentence}')}</li>" for s in sweeps)
    chart = _figure(
        charts.tornado(tornado(sweeps), analysis.impact.recommended.gain, analysis.impact.currency), "tornado"
    )
    return f"<h2>Which assumption matters most</h2>{chart}<ul>{sentences}</ul>"


def _segments(analysis: Analysis) -> str:
    column = analysis.problem.segment or (analysis.problem.keys[0] if analysis.problem.keys else None)
    if not column:
        return ""
    try:
        found = segment_gains(analysis, analysis.impact, column)
    except PayoffError as error:
        return f"<p>The gain could not be broken down by {_e(column)}: {_e(error)}</p>"
    frame = pd.DataFrame({"segment": [g.value for g in found.groups], "gain": [g.gain for g in found.groups]})
    chart = _figure(charts.gain_by_segment(frame, analysis.impact.currency), "segments")
    return f"<h2>Where the gain comes from: by {_e(column)}</h2><p>{_e(found.sentence)}</p>{chart}"


def _decisions(analysis: Analysis) -> str:
    try:
        decisions = next_decisions(analysis)
    except PayoffError as error:
        return f"<h2>Next decisions</h2><p>Not available: {_e(error)}</p>"
    caption = decisions.attrs.get("caption", "")
    more = f" The first {PREVIEW_ROWS} of {len(decisions):,} rows." if len(decisions) > PREVIEW_ROWS else ""
    preview = decisions.head(PREVIEW_ROWS)
    preview.attrs = dict(decisions.attrs)
    unit = str(decisions.attrs.get("unit", "day"))
    shown = table_html(preview, analysis.impact.currency, unit)
    return f"<h2>Next decisions</h2><p>{_e(caption)}{_e(more)}</p>{shown}"


def build_report(analysis: Analysis, title: str | None = None) -> str:
    """The whole report as one HTML string (about 5 MB, most of it plotly.js)."""
    problem, impact = analysis.problem, analysis.impact
    data = tables.data_summary(analysis)
    title = title or f"Payoff: {problem.framing.title} on {data['file']}"
    period = f", {data['period']}" if data["period"] else ""
    sections = [
        f"<h1>{_e(title)}</h1>",
        f"<h2>The question</h2><p>{_e(problem.framing.title)}. {_e(problem.framing.question)}</p>",
        f"<h2>The data used</h2><p>{_e(data['file'])}: {data['rows']:,} rows{_e(period)}; evaluated by "
        f"{_e(data['evaluation'])}.</p>{table_html(tables.data_table(analysis))}",
        f"<h2>Assumptions</h2>{table_html(tables.assumptions_table(analysis))}",
        f"<h2>The answer</h2>{_headline(impact)}" + _figure(charts.today_vs_choice(impact), "answer"),
        "<h2>Model comparison</h2>"
        + _figure(charts.gain_by_model(impact), "gains")
        + table_html(tables.compare_table(impact), impact.currency),
        _sensitivity(analysis),
        _segments(analysis),
        _decisions(analysis),
        f'<p class="muted">Made by Payoff {_e(version("payoff"))} on '
        f"{datetime.now(UTC):%d %b %Y %H:%M} UTC. Every figure is out of sample: decisions replayed on history "
        "the models had not seen.</p>",
    ]
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{STYLE}</style><script>{get_plotlyjs()}</script></head><body>" + "".join(sections) + "</body></html>"
    )
