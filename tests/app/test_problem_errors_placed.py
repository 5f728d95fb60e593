"""On the Problem page each problem shows beside the choice that fixes it (errors.ProblemItem)."""

from dataclasses import replace

from payoff.ui import state
from tests.app.conftest import load_sample, open_app


def _headings_and_errors(node, out):
    """The page's subheaders and error boxes, in the order they are shown."""
    for child in getattr(node, "children", {}).values():
        kind = getattr(child, "type", "")
        if kind in ("subheader", "error"):
            out.append((kind, str(child.value)))
        _headings_and_errors(child, out)
    return out


def test_a_backtest_too_long_for_the_history_shows_under_the_backtest_settings():
    at = load_sample(open_app(), "retail_sales")
    at.session_state[state.CHOICES] = replace(at.session_state[state.CHOICES], horizon=900)
    at.switch_page("app_pages/problem.py").run()
    assert not at.exception
    shown = _headings_and_errors(at.main, [])
    [error] = [i for i, (kind, _) in enumerate(shown) if kind == "error"]
    assert "730 days" in shown[error][1] and "900 days" in shown[error][1]
    assert shown[error - 1] == ("subheader", "Backtest")  # beside the settings that fix it
    assert shown[error + 1] == ("subheader", "Models")


def test_half_hourly_rows_are_said_to_be_worked_in_hours_on_the_problem_page():
    from tests.app.conftest import upload
    from tests.unit.test_finer_rows import _half_hours

    data = _half_hours().to_csv(index=False).encode()
    at = upload(open_app("app_pages/data.py"), "phones.csv", data)
    at.switch_page("app_pages/problem.py").run()
    at.radio(key=state.FRAMING_PICK).set_value("staffing").run()
    labels = {w.key: w.label for w in at.number_input}
    assert labels[f"{state.PARAM_PREFIX}staffing.staff_cost"] == "Cost of one person (per hour)"  # not per period
    assert labels[f"{state.PARAM_PREFIX}staffing.units_per_staff"] == "Work one person handles (units per hour)"
    for key, value in (("units_per_staff", 12.0), ("staff_cost", 15.0), ("unserved_cost", 5.0)):
        at.number_input(key=f"{state.PARAM_PREFIX}staffing.{key}").set_value(value).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Your rows come every 30 minutes; Payoff works in hours: 'Calls Offered' is added up within each hour" in (
        captions
    )


def test_todays_rota_can_be_picked_on_the_problem_page():
    from payoff.statusquo import DecisionColumn
    from tests.app.conftest import upload
    from tests.unit.test_finer_rows import _half_hours

    # 'On Shift' reads as the rota at once; a rota the names do not give away is picked here
    phones = _half_hours().rename(columns={"On Shift": "Headcount"})
    at = upload(open_app("app_pages/data.py"), "phones.csv", phones.to_csv(index=False).encode())
    at.switch_page("app_pages/problem.py").run()
    at.radio(key=state.FRAMING_PICK).set_value("staffing").run()
    kind = at.radio(key=state.STATUS_QUO_PREFIX + "kind")
    assert any("a column of your file (pick it below)" in o.replace("\\", "") for o in kind.options)
    kind.set_value("column").run()
    picker = at.selectbox(key=state.STATUS_QUO_PREFIX + "column")
    assert picker.value is None and at.session_state[state.CHOICES].status_quo is None  # nothing taken unasked
    assert picker.options[0] == "Headcount"  # the column named like a rota first
    picker.set_value("Headcount").run()
    assert not at.exception
    assert at.session_state[state.CHOICES].status_quo == DecisionColumn("Headcount")
    for key, value in (("units_per_staff", 12.0), ("staff_cost", 15.0), ("unserved_cost", 5.0)):
        at.number_input(key=f"{state.PARAM_PREFIX}staffing.{key}").set_value(value).run()
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "and 'Headcount' is averaged over the hour (people on shift)" in captions
