import streamlit as st

from payoff import samples
from payoff.errors import PayoffError
from payoff.ui import data_view, navigation, widgets

st.title("Payoff")
st.markdown(
    "Payoff turns your sales, calls or customer history into the decisions your business takes: "
    "how much to stock, how many people to schedule, whom to call.  \n"
    "It fits simple, well-understood models and replays their decisions on your own past data.  \n"
    "You see what each model would have cost or earned, in money, against what you do today."
)
st.subheader("Try it on sample data")
columns = st.columns(3)
for i, sample in enumerate(samples.SAMPLES):
    with columns[i % 3].container(border=True):
        st.markdown(f"**{sample.title}**")
        st.caption(sample.description)
        if st.button("Use this sample", key=f"w.home.sample.{sample.name}"):
            try:
                data_view.load_sample(sample.name)
            except PayoffError as error:
                widgets.show_error(error)
            else:
                st.switch_page(navigation.MODELS)
st.subheader("Or bring your own file")
st.page_link(navigation.DATA, label="Upload a CSV, Excel or Parquet file", icon=":material/upload_file:")
