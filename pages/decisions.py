import streamlit as st

from payoff import export
from payoff.errors import PayoffError
from payoff.ui import state, widgets

st.title("Decisions")
analysis = state.analysis()
if analysis is None:
    widgets.next_step(
        "Run the models first; this page turns the best one into next decisions.",
        "pages/models.py",
        "Go to the Models page",
    )
    st.stop()

if analysis.family == "quantity":
    from payoff.recommend import next_decisions

    try:
        decisions = next_decisions(analysis)
    except PayoffError as error:
        widgets.show_error(error)
        st.stop()
    st.write(
        widgets.plain(
            f"What {decisions.attrs['model']} recommends for the next "
            f"{analysis.predictions.settings.horizon} periods, at the costs of the last run."
        )
    )
else:
    from payoff.targeting_analysis import entity_decisions

    decisions = entity_decisions(analysis)
    st.write(widgets.plain(f"Whom {analysis.impact.best_model} would act on, best expected value first."))
st.dataframe(decisions, hide_index=True, width="stretch")
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
