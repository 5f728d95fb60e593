import streamlit as st

from payoff.errors import PayoffError
from payoff.runtime import samples
from payoff.ui import data_view, navigation, widgets

st.title("Payoff")
st.markdown(
    "Your history in, the decisions your business takes out (how much to stock, how many people to schedule, "
    "whom to call), priced in money against what you do today, on your own past data."
)
st.page_link(
    navigation.DATA,
    label="Bring your own file: upload a CSV, Excel or Parquet file",
    icon=":material/upload_file:",
)
st.subheader("Or try a sample")
columns = st.columns(3)
for i, sample in enumerate(samples.SAMPLES):
    with columns[i % 3].container(border=True):
        st.markdown(f"**{sample.title}**")
        if st.button("Use this sample", key=f"w.home.sample.{sample.name}", help=sample.description):
            try:
                data_view.load_sample(sample.name)
            except PayoffError as error:
                widgets.show_error(error)
            else:
                st.switch_page(navigation.MODELS)
st.caption(
    "A sample opens on the Models page: press Run models for the money headline. Each sample's prices and costs are "
    "its documented values; on your own file Payoff asks for yours."
)
