"""The headline shows as soon as the money is priced and the explanations follow
(payoff.ui.results_view.finish_explaining): a run's late explanations never replace an analysis
the user has moved on to, and its job is let go. The whole path (priced, then explained and
autosaved in the same page run) is in tests/app/test_targeting_journey.py."""

from payoff.carry import serial
from payoff.ui import state
from tests.app.conftest import open_app
from tests.helpers import sample_analysis, sample_problem
from tests.unit.test_jobs import replayed


def test_a_run_whose_analysis_is_no_longer_shown_is_let_go():
    """The user loaded another file (the analysis shown is gone) while the last run's
    explanations were worked out: they are not laid over anything, and the job is stopped."""
    from payoff.analysis import run_priced

    priced, _ = run_priced(sample_problem("call_centre"))
    job = replayed(("priced", serial.to_bytes(priced)))
    job.poll()
    stopped = []
    job._stop = lambda: stopped.append(True)
    at = open_app("app_pages/data.py")
    at.session_state[state.JOB] = job
    at.run()
    assert not at.exception
    assert state.JOB not in at.session_state and stopped == [True]
    assert state.ANALYSIS not in at.session_state or at.session_state[state.ANALYSIS] is None


def test_its_explanations_land_on_the_analysis_shown():
    """The priced analysis is on screen and the explanations have come in: the next page run
    takes them, keeps the money as it was and autosaves the whole analysis."""
    from payoff.analysis import with_explanations

    whole = sample_analysis("call_centre", "staffing")
    priced, explanations = with_explanations(whole, ()), whole.predictions.explanations
    assert explanations  # else the test could not tell them from none
    from payoff.carry.sensitivity import sensitivity

    job = replayed(("done", explanations, None, sensitivity(whole)))  # the summary's sweeps come along
    at = open_app("app_pages/impact.py")
    job.priced = priced
    at.session_state[state.JOB] = job
    at.session_state[state.ANALYSIS] = priced
    at.run()
    assert not at.exception
    shown = at.session_state[state.ANALYSIS]
    assert shown.predictions.explanations == explanations and shown.impact is priced.impact
    assert state.JOB not in at.session_state and at.session_state[state.OPENED].autosave


def test_loading_another_file_stops_the_old_file_s_fit():
    """A fit still running for the last file would land on the new one's pages: loading a file
    stops it."""
    job = replayed()
    stopped = []
    job._stop = lambda: stopped.append(True)
    at = open_app("app_pages/data.py")
    at.session_state[state.JOB] = job
    at.run()
    at.selectbox(key=state.SAMPLE_PICK).set_value("retail_sales").run()
    at.button(key=state.SAMPLE_LOAD).click().run()
    assert not at.exception
    assert state.JOB not in at.session_state and stopped == [True]
