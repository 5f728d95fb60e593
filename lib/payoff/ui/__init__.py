"""The Streamlit app's views: everything that imports Streamlit lives here."""

from streamlit.runtime.scriptrunner import get_script_run_ctx

from payoff.runtime.side_by_side import refuse_when

# A page's run never forks a copy of the server to share its work (payoff.runtime.side_by_side):
# the server's other threads serve other users. Fits run in processes of their own, which may.
refuse_when(lambda: get_script_run_ctx(suppress_warning=True) is not None)
