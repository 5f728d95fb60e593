from urllib.parse import urlencode

import streamlit as st

from payoff.errors import PayoffError
from payoff.ui import identity, navigation, results_view, saved_view, state, widgets

st.title("Saved")
store = identity.store()  # this user's analyses and the team's shared ones (all of them in single-user mode)
team = identity.multi_user()
try:
    listing = store.listing()
except PayoffError as error:  # a damaged file: say so; every other page keeps working
    widgets.show_error(error)
    st.stop()
saved = listing.saved
if listing.skipped:  # damaged rows are named, and the rest is listed
    st.warning(widgets.plain(listing.skipped_text()), icon=":material/warning:")
if not saved:
    # Runs are autosaved (the sidebar says so) but listed here only once named: say both.
    widgets.next_step(
        "No saved analyses yet. Every run is kept on its own (a reload or its page's address reopens it). "
        "To list a run here, to share or compare it, save it by name from the Impact page.",
        navigation.IMPACT,
        "Go to the Impact page",
    )
    st.stop()

results_view.show_table(saved_view.listing(saved, store.user, team))
by_id = {s.id: s for s in saved}
chosen = by_id[
    st.selectbox("Analysis", list(by_id), format_func=lambda i: f"{i}: {by_id[i].name}", key=state.SAVED_PICK)
]
st.write(widgets.plain(chosen.summary.get("narrative", "")))
left, middle, right = st.columns(3)
if left.button("Open", key="w.saved.open", type="primary", disabled=not chosen.reopenable):
    saved_view.reopen(chosen)
if not chosen.reopenable:
    st.caption("Saved by an older Payoff as a summary only: run it again and save it to reopen it.")
with middle.popover("Share its link", icon=":material/link:"):
    base = st.context.url
    if base:
        st.caption("Copy the link with the button at the right of the box.")
        st.code(
            f"{base.rstrip('/')}/impact?{urlencode({state.QUERY_ANALYSIS: chosen.token})}",
            language=None,
            wrap_lines=True,
        )
    st.page_link(navigation.IMPACT, label="Open it here", query_params={state.QUERY_ANALYSIS: chosen.token})
with right.popover("Delete", icon=":material/delete:"):  # never one click away from Open
    st.write(widgets.plain(f"Delete '{chosen.name}' for good? Its link stops working."))
    if st.button("Yes, delete it", key="w.saved.delete", type="primary"):
        try:
            store.delete(chosen.id)
        except PayoffError as error:
            widgets.show_error(error)
        else:
            if state.opened() is not None and state.opened().id == chosen.id:  # type: ignore[union-attr]
                state.forget_analysis()
            st.rerun()
with st.form("w.saved.rename_form"):
    new_name = st.text_input("Rename to", value=chosen.name, key=f"{state.SAVED_RENAME}.{chosen.id}")
    if st.form_submit_button("Rename"):
        try:
            store.rename(chosen.id, new_name)
        except PayoffError as error:
            widgets.show_error(error)
        else:
            st.rerun()
if team:  # who else may open it: the owner decides
    mine = chosen.owner is not None and chosen.owner == store.user
    shared = st.toggle(
        "Share with the team",
        value=chosen.shared,
        key=f"{state.SAVED_SHARE}.{chosen.id}",
        disabled=not mine,
        help="Everyone signed in to Payoff can then open, rename, delete and compare it; its link works for them.",
    )
    if not mine:
        st.caption(widgets.plain(f"Shared with the team by {chosen.owner or 'whoever runs Payoff'}."))
    elif shared != chosen.shared:
        try:
            store.share(chosen.id, shared)
        except PayoffError as error:
            widgets.show_error(error)
        else:
            st.rerun()

st.subheader("Compare two side by side")
if len(saved) < 2:
    st.info("Save a second analysis to compare: the same file under other costs, or another file.")
    st.stop()
pair = st.multiselect(
    "Pick two",
    list(by_id),
    default=list(by_id)[:2],
    max_selections=2,
    format_func=lambda i: f"{i}: {by_id[i].name}",
    key=state.SAVED_COMPARE,
)
if len(pair) == 2:
    assumptions, models, sentence = saved_view.comparison(by_id[pair[0]], by_id[pair[1]])
    st.write(widgets.plain(sentence))
    results_view.show_table(assumptions)
    results_view.show_table(models)
