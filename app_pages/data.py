import streamlit as st

from payoff.ui import data_view, navigation, state, widgets

st.title("Data")
data_view.source_picker()
dataset = state.dataset()
if dataset is None:
    st.info("Load a sample or upload a file to start. Payoff shows what it understood and lets you fix it.")
    st.stop()

st.subheader(f"{widgets.plain(dataset.name)}")
table = widgets.current_table()
options = data_view.reading_options(dataset, table)
if options != dataset.options:
    state.set_options(options)
    st.rerun()
if table is None:
    st.stop()

left, right = st.columns([1, 1])  # "UTF-8 with BOM" and "CRLF (Windows)" whole at 1280 pixels
with left:
    st.markdown("**What Payoff understood**")
    st.dataframe(data_view.detection_table(table.detection), hide_index=True, width="stretch")
with right:
    st.markdown("**Column types**")
    st.dataframe(data_view.types_table(table), hide_index=True, width="stretch", height=300)
data_view.issues(table)

prepared = data_view.prepared_for(table, dataset)
if prepared.note:
    st.success(widgets.plain(prepared.note))
st.markdown(f"**Preview** ({len(prepared.frame):,} rows × {prepared.frame.shape[1]:,} columns)")
widgets.frame_preview(prepared.frame)

st.subheader("Column roles")
roles = data_view.roles_editor(prepared)
data_view.reshape_controls(state.prepared() or prepared)

st.subheader("Data quality")
data_view.findings(state.prepared() or prepared)
st.page_link(navigation.PROBLEM, label="Next: choose the business problem", icon=":material/arrow_forward:")
