import json

import pandas as pd
import streamlit as st

from payoff import formatting
from payoff.store import Store
from payoff.ui import navigation, results_view, widgets

st.title("Saved")
store = Store()
saved = store.list()
if not saved:
    widgets.next_step(
        "No saved analyses yet. Run one, then save it from the Impact page.", navigation.IMPACT, "Go to the Impact page"
    )
    st.stop()

table = pd.DataFrame(
    [
        {
            "id": s.id,
            "name": s.name,
            "saved": s.saved_at,
            "dataset": s.dataset,
            "framing": s.framing,
            "Payoff's choice": (s.summary.get("recommended") or {}).get("model", ""),
            "gain": (s.summary.get("recommended") or {}).get("gain"),
        }
        for s in saved
    ]
)
results_view.show_table(table)
chosen = st.selectbox(
    "Open", [s.id for s in saved], format_func=lambda i: next(s.name for s in saved if s.id == i), key="w.saved.pick"
)
entry = next(s for s in saved if s.id == chosen)
st.write(widgets.plain(entry.summary.get("narrative", "")))
models = pd.DataFrame(
    [
        {
            "model": m["name"],
            "money": m["money"],
            "gain vs status quo": m["gain_vs_status_quo"],
            "90% interval": formatting.interval(*m["gain_interval"]) if m["gain_interval"] else "",
            "P(beats status quo)": m["p_beats_status_quo"],
        }
        for m in entry.summary.get("models", [])
    ]
)
results_view.show_table(models)
left, right = st.columns(2)
left.download_button(
    "Download JSON",
    json.dumps(entry.summary, indent=2),
    f"payoff-{entry.id}.json",
    "application/json",
    key="w.saved.json",
)
if right.button("Delete", key="w.saved.delete"):
    store.delete(entry.id)
    st.rerun()
