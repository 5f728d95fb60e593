"""Saved analyses in the app: every run is autosaved so the page's URL can name it (a reload or a
link reopens it, no refit), the user names the ones to keep, and the Saved page lists, reopens,
renames, deletes and compares them. A saved-analyses file that cannot be used is reported once
and the rest of the app keeps working."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from payoff import formatting
from payoff.analysis import Analysis, rebased
from payoff.carry.results import to_json
from payoff.carry.store import Saved, link_token
from payoff.errors import PayoffError
from payoff.evaluate.impact import Impact
from payoff.framings import catalogue
from payoff.models.catalogue import business_name
from payoff.ui import identity, navigation, state
from payoff.ui.widgets import plain, show_error


def autosave(analysis: Analysis, summary: dict[str, Any] | None = None, whatif: dict[str, Any] | None = None) -> bool:
    """Keep a fresh run where the URL can point to it. A failure costs only the reload. `summary`
    is the run's JSON when it was already built (by the fit's own process); `whatif`, the what-if
    values already laid over it (tried while its explanations were worked out)."""
    name = f"{analysis.problem.framing.key} on {analysis.problem.source or 'a file'}"
    try:
        store = identity.store()
        analysis_id = store.save(name, analysis, summary or to_json(analysis), autosave=True)
        token = store.get(analysis_id).token
    except PayoffError as error:
        state.set_analysis(analysis, whatif_values=whatif)
        st.warning(plain(f"Not autosaved, so a reload will lose this analysis: {error}"), icon=":material/warning:")
        return False
    state.set_analysis(analysis, state.Opened(analysis_id, name, autosave=True, token=token), whatif)
    return True


def open_from_url(landing_on_home: bool) -> None:
    """On a session's first run, `?analysis=TOKEN` reopens that saved analysis, when this user may
    open it; a link to the home page lands on the Impact page."""
    if not state.first_run_of_session() or state.analysis() is not None:
        return
    raw = st.query_params.get(state.QUERY_ANALYSIS)
    if raw is None:
        return
    try:  # not a token, nothing this user may open by it, a damaged row or bytes: one message, the session goes on
        token = link_token(raw)
        store = identity.store()
        saved = store.get(token)
        analysis = store.open(token)
    except PayoffError as error:
        show_error(error)
        del st.query_params[state.QUERY_ANALYSIS]
        return
    state.set_analysis(
        analysis, state.Opened(saved.id, saved.name, saved.autosave, saved.token), state.whatif_from_url(analysis)
    )
    if landing_on_home:
        st.switch_page(navigation.IMPACT)


def save_named(analysis: Analysis, impact: Impact, name: str) -> None:
    """Save what the page shows: the what-if costs become the saved analysis's own."""
    kept = rebased(analysis, impact.params)
    try:
        store = identity.store()
        analysis_id = store.save(name, kept, to_json(kept))
        token = store.get(analysis_id).token
    except PayoffError as error:
        show_error(error)
        return
    state.set_analysis(kept, state.Opened(analysis_id, name.strip(), autosave=False, token=token))
    st.success(plain(f"Saved as '{name.strip()}'. The page's address now opens it; so does the Saved page."))


def listing(saved: list[Saved], user: str | None = None, team: bool = False) -> pd.DataFrame:
    """The Saved page's table in business words; with a team (multi-user mode), whose each one is
    and whether it is shared."""
    rows = []
    for s in saved:
        framing = catalogue.FRAMINGS.get(s.framing)
        row: dict[str, object] = {
            "Number": str(s.id),
            "Name": s.name,
            "Question": framing.title if framing else s.framing,
            "File": s.dataset,
            "Saved (UTC)": s.saved_at.replace("T", " ")[:16],
            "Headline": s.headline + ("" if s.reopenable else " (summary only)"),
        }
        if team:
            row["Owner"] = "you" if s.owner is not None and s.owner == user else (s.owner or "nobody")
            row["Shared with the team"] = "yes" if s.shared else "no"
        rows.append(row)
    return pd.DataFrame(rows)


def reopen(saved: Saved) -> None:
    try:
        analysis = identity.store().open(saved.id)
    except PayoffError as error:
        show_error(error)
        return
    state.set_analysis(analysis, state.Opened(saved.id, saved.name, autosave=False, token=saved.token))
    st.switch_page(navigation.IMPACT)


def comparison(a: Saved, b: Saved) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Two saved analyses side by side, in business words: their assumptions, their money per
    option, and a sentence."""
    left, right = f"A: {a.name}", f"B: {b.name}"
    keys = list(dict.fromkeys([*a.summary.get("params", {}), *b.summary.get("params", {})]))
    labels = _labels(a, b)
    assumptions = pd.DataFrame(
        {
            "": ["File", "Question", "What you do today", *(labels.get(k, k) for k in keys)],
            left: [a.dataset, _question(a), _status_quo(a), *(_param(a, k) for k in keys)],
            right: [b.dataset, _question(b), _status_quo(b), *(_param(b, k) for k in keys)],
        }
    )
    names = list(dict.fromkeys(m["name"] for s in (a, b) for m in s.summary.get("models", [])))
    models = pd.DataFrame({"Option": [business_name(n) for n in names]})
    kinds: dict[str, str] = {}
    for label, saved in ((left, a), (right, b)):
        by_name = {m["name"]: m for m in saved.summary.get("models", [])}
        models[f"{label}: money"] = [by_name.get(n, {}).get("money") for n in names]
        models[f"{label}: gain vs today"] = [by_name.get(n, {}).get("gain_vs_status_quo") for n in names]
        kinds |= {f"{label}: money": formatting.MONEY, f"{label}: gain vs today": formatting.MONEY}
    formatting.declare(models, kinds)
    gain_a = (a.summary.get("recommended") or {}).get("gain")
    gain_b = (b.summary.get("recommended") or {}).get("gain")
    if gain_a is None or gain_b is None:
        sentence = "One of the two has no gain to compare."
    else:
        sentence = (
            f"Payoff's choice gains {formatting.money(gain_a)} in A and {formatting.money(gain_b)} in B: "
            f"B is {formatting.money(abs(gain_b - gain_a))} {'more' if gain_b >= gain_a else 'less'}."
        )
    return assumptions, models, sentence


def _labels(*saved: Saved) -> dict[str, str]:
    """Each parameter key's label in the framings of these analyses."""
    out: dict[str, str] = {}
    for one in saved:
        framing = catalogue.FRAMINGS.get(one.framing)
        out |= {p.key: p.label for p in framing.params} if framing else {}
    return out


def _question(saved: Saved) -> str:
    framing = catalogue.FRAMINGS.get(saved.framing)
    return framing.title if framing else saved.framing


def _param(saved: Saved, key: str) -> str:
    value = saved.summary.get("params", {}).get(key)
    if isinstance(value, dict):
        scale = value.get("scale", 1)
        return f"each row's '{value.get('column')}'" + ("" if scale == 1 else f" x {scale:g}")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):  # delivery days in words
        return value
    return "" if value is None else formatting.number(float(value))


def _status_quo(saved: Saved) -> str:
    rule = saved.summary.get("status_quo_rule") or {}
    return str(rule.get("label") or saved.summary.get("status_quo", ""))
