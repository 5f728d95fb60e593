import streamlit as st

from payoff import export
from payoff.analysis import next_decisions
from payoff.errors import PayoffError
from payoff.ui import navigation, results_view, state, widgets

st.title("Decisions")
analysis = state.analysis()
if analysis is None:
    widgets.next_step(
        "Run the models first; this page turns Payoff's choice into next decisions.",
        navigation.MODELS,
        "Go to the Models page",
    )
    st.stop()

try:
    decisions = next_decisions(analysis)
except PayoffError as error:
    widgets.show_error(error)
    st.stop()
st.write(widgets.plain(decisions.attrs["caption"]))
results_view.show_table(decisions)
c1, c2 = st.columns(2)
c1.download_button(
    "Download CSV", export.to_csv_bytes(decisions), "payoff-decisions.csv", "text/csv", key="w.decisions.csv"
)
c2.download_button(
    "Download Excel",
    export.to_excel_bytes(decisions),
    "payoff-decisions.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="w.decisions.xlsx",
)
