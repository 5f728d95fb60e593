import streamlit as st

from payoff.ui import data_view, impact_view, results_view, state, widgets

st.title("Impact")
prepared = data_view.ensure_prepared()
analysis = state.analysis()
if prepared is None or analysis is None:
    widgets.next_step(
        "Run the models first; this page prices their decisions.", "pages/models.py", "Go to the Models page"
    )
    st.stop()

impact = impact_view.what_if(analysis, prepared)
results_view.headline(impact)
impact_view.show(analysis, impact)
st.dataframe(results_view.money_table(impact), hide_index=True, width="stretch")

with st.form("w.impact.save_form"):
    name = st.text_input("Save this analysis as", key="w.impact.save_name")
    if st.form_submit_button("Save"):
        from payoff.errors import PayoffError
        from payoff.store import Store

        try:
            Store().save(name, state.dataset().name, impact.as_dict())
        except PayoffError as error:
            widgets.show_error(error)
        else:
            st.success("Saved: find it on the Saved page.")
