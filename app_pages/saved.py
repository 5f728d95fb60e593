import json

import pandas as pd
import streamlit as st

from payoff.store import Store
from payoff.ui import navigation, widgets

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
            "best model": s.summary.get("best_model", ""),
        }
        for s in saved
    ]
)
st.dataframe(table, hide_index=True, width="stretch")
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
            "90% interval": m["gain_interval"],
            "P(beats status quo)": m["p_beats_status_quo"],
        }
        for m in entry.summary.get("models", [])
    ]
)
st.dataframe(models, hide_index=True, width="stretch")
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
