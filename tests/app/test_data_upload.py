"""The bad-input corpus through the Data page's file uploader: the right message, no traceback,
and the session still works (a good file uploaded next loads)."""

from dataclasses import replace

import pandas as pd
import pytest
from streamlit import config

from payoff.data.roles import Role, Shape
from payoff.params import money_target
from payoff.ui import state
from tests.app.conftest import no_html, open_app, upload
from tests.corpus.cases import CASES, Case, content

GOOD = ("good.csv", b"date,store,units\n2026-01-01,north,3\n2026-01-02,north,5\n2026-01-03,north,4\n", "text/csv")


@pytest.fixture
def one_megabyte_limit():
    previous = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 1)
    yield
    config.set_option("server.maxUploadSize", previous)


def shown(at) -> str:
    return " ".join(str(e.value) for e in [*at.error, *at.warning, *at.caption]).replace("\\", "")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corpus_file_through_the_data_page(case: Case, one_megabyte_limit):
    if case.name == "huge_field.csv":
        config.set_option("server.maxUploadSize", 20)
    at = upload(open_app("app_pages/data.py"), case.name, content(case.name))
    assert not at.exception, at.exception
    no_html(at)
    text = shown(at)
    if case.error:
        assert at.error, f"{case.name}: no error shown"
        for word in case.says:
            assert word in text, (word, text)
    else:
        assert not at.error, [e.value for e in at.error]
        for word in case.says:
            assert word in text, (word, text)
        assert at.session_state[state.PREPARED].frame.shape[0] > 0
    # The session survives: a good file uploaded next loads fine.
    upload(at, *GOOD[:2])
    assert not at.exception and not at.error
    assert at.session_state[state.PREPARED].frame["units"].tolist() == [3, 5, 4]


def test_payloads_are_shown_literally():
    at = upload(open_app("app_pages/data.py"), "html_payload.csv", content("html_payload.csv"))
    preview = at.session_state[state.PREPARED].frame
    assert list(preview.columns) == ["<script>alert(1)</script>", "<b>bold</b>"]
    no_html(at)
    rendered = " ".join(m.value for m in at.markdown)
    assert "<script>" not in rendered  # nothing user-supplied went through markdown unescaped


def test_reading_option_override_updates_the_preview():
    at = upload(open_app("app_pages/data.py"), "semi.csv", b"a;b\n1;2\n3;4\n")
    assert list(at.session_state[state.PREPARED].frame.columns) == ["a", "b"]
    at.selectbox(key=state.OPT_PREFIX + "sep").set_value("comma").run()
    assert not at.exception
    assert list(at.session_state[state.PREPARED].frame.columns) == ["a;b"]


def test_excel_sheet_choice():
    at = upload(open_app("app_pages/data.py"), "multi_sheet.xlsx", content("multi_sheet.xlsx"))
    assert at.selectbox(key=state.OPT_PREFIX + "sheet").value == "Data"
    at.selectbox(key=state.OPT_PREFIX + "sheet").set_value("Notes").run()
    assert not at.exception
    assert "no data rows" in shown(at)


def test_event_log_aggregation_on_the_data_page():
    log = b"date,time,agent\n2026-01-05,09:10:00,a\n2026-01-05,09:50:00,b\n2026-01-05,10:05:00,a\n"
    at = upload(open_app("app_pages/data.py"), "calls.csv", log)
    assert at.session_state[state.PREPARED].roles.shape.value == "event log"
    # what the boxes show: a choice that is no column is still a word on screen, never an empty box
    assert at.selectbox(key=state.AGG_PREFIX + "qty").proto.raw_value == "count rows"
    assert at.selectbox(key=state.AGG_PREFIX + "time").proto.raw_value == "time"
    at.selectbox(key=state.AGG_PREFIX + "period").set_value("hour").run()
    at.button(key=state.AGG_PREFIX + "go").click().run()
    assert not at.exception
    prepared = at.session_state[state.PREPARED]
    assert prepared.frame["events"].tolist() == [2, 1]
    assert prepared.roles.shape.value == "time series"


def test_wide_table_is_offered_a_conversion_to_long():
    wide = b"date,north,south,east\n2026-01-01,1,2,3\n2026-01-02,4,5,6\n2026-01-03,7,8,9\n"
    at = upload(open_app("app_pages/data.py"), "wide.csv", wide)
    assert at.session_state[state.PREPARED].roles.shape.value == "wide time series"
    at.button(key=state.AGG_PREFIX + "melt").click().run()
    assert not at.exception
    long = at.session_state[state.PREPARED]
    assert long.frame.shape == (9, 3) and long.roles.shape.value == "time series"
    assert long.frame.loc[long.frame["series"] == "south", "quantity"].tolist() == [2, 5, 8]


def test_a_bakerys_products_become_series_and_its_revenue_and_waste_stay_beside_them():
    """Loaves per product in columns, then the day's revenue and waste: the products are ticked,
    the revenue and waste are not, and the loaves are a quantity of units, never money ('value'
    once read as money and priced every croissant as one euro of sales)."""
    days = pd.date_range("2024-01-01", periods=30).strftime("%Y-%m-%d")
    rows = [f"{d},{40 + i % 7},{60 + i % 5},{80 + i % 3},{500 + i}.40,{i % 9}" for i, d in enumerate(days)]
    wide = ("date,Sourdough,Baguette,Croissant,Revenue,Waste (units)\n" + "\n".join(rows) + "\n").encode()
    at = upload(open_app("app_pages/data.py"), "bakery.csv", wide)
    if at.session_state[state.PREPARED].roles.shape.value != "wide time series":  # picked as a user would
        at.selectbox(key=state.SHAPE_PICK).set_value("wide time series").run()
    assert at.multiselect(key=state.AGG_PREFIX + "wide").value == ["Sourdough", "Baguette", "Croissant"]
    at.button(key=state.AGG_PREFIX + "melt").click().run()
    assert not at.exception
    long = at.session_state[state.PREPARED]
    assert long.roles.one(Role.TARGET) == "quantity"
    assert sorted(long.frame["series"].unique()) == ["Baguette", "Croissant", "Sourdough"]
    assert money_target(long.frame, "quantity") is None


def test_every_run_tells_the_screen_the_table_shape_and_reading_options():
    """The browser draws a widget's value only when the server sets it in that run (see
    widgets.seeded): the Data page's own choices are set at every run, the user's pick kept."""
    at = upload(open_app("app_pages/data.py"), GOOD[0], GOOD[1])
    at.selectbox(key=state.SHAPE_PICK).set_value("entity table").run()
    at.run()  # again, nothing changed
    shape, separator = at.selectbox(key=state.SHAPE_PICK), at.selectbox(key=state.OPT_PREFIX + "sep")
    assert shape.proto.set_value and shape.value == "entity table"
    assert separator.proto.set_value and separator.value == "detect"


def test_a_daily_files_dates_are_previewed_as_written_and_an_hourly_files_with_their_times():
    import json

    def preview_config(name: str, data: bytes) -> dict:
        at = upload(open_app("app_pages/data.py"), name, data)
        preview = [d for d in at.dataframe if "date" in d.value.columns or "when" in d.value.columns][-1]
        return json.loads(preview.proto.columns)

    daily = preview_config("good.csv", GOOD[1])
    assert daily["date"]["type_config"]["format"] == "YYYY-MM-DD"  # not '2026-01-01 00:00:00'
    hourly = b"when,store,units\n2026-01-01 09:00,north,3\n2026-01-01 10:00,north,5\n2026-01-01 11:00,north,4\n"
    assert "when" not in preview_config("hourly.csv", hourly)  # times the user wrote stay shown


def test_the_event_of_a_two_valued_outcome_is_asked_and_can_be_turned_around():
    """A customer list's 'Renewed' Yes/No: Payoff proposes the No (who did not renew churned), the
    user can say otherwise, and the roles (and the money after them) follow the pick."""
    from tests.unit.test_dated_entities import _customers

    at = upload(open_app("app_pages/data.py"), "customers.csv", _customers().to_csv(index=False).encode())
    assert not at.exception
    pick = at.radio(key=f"{state.POSITIVE_PICK}Renewed")
    assert pick.value == "No" and list(pick.options) == ["No", "Yes"]
    assert at.session_state[state.PREPARED].roles.positive_class == "No"
    pick.set_value("Yes").run()
    assert not at.exception
    assert at.session_state[state.PREPARED].roles.positive_class == "Yes"
    assert any(e.label.replace("\\", "").startswith("The outcome 'Renewed' = Yes on") for e in at.expander)


def test_order_lines_aggregated_keep_each_items_price_for_the_money():
    log = (
        b"ordered_at,sku,qty,unit_price\n2026-01-05 09:10:11,tea,2,3.50\n2026-01-05 11:02:41,cake,1,4.00\n"
        b"2026-01-06 10:44:07,tea,1,3.50\n2026-01-06 12:13:52,cake,3,4.00\n"
    )
    at = upload(open_app("app_pages/data.py"), "orders.csv", log)
    assert at.session_state[state.PREPARED].roles.shape.value == "event log"
    assert at.selectbox(key=state.AGG_PREFIX + "price").value == "unit_price"  # the file's own, shown
    # summed and split as a user would want them, shown to change: counting lines would undercount
    assert at.selectbox(key=state.AGG_PREFIX + "qty").value == "qty"
    assert at.multiselect(key=state.AGG_PREFIX + "keys").value == ["sku"]
    at.button(key=state.AGG_PREFIX + "go").click().run()
    assert not at.exception
    prepared = at.session_state[state.PREPARED]
    assert prepared.frame["unit_price"].tolist() == [4.0, 4.0, 3.5, 3.5]  # cake, then tea
    assert prepared.roles.one(Role.PRICE) == "unit_price"
    assert "'unit_price' kept as each day's average price, weighted by 'qty'" in prepared.note


def test_an_outcome_of_three_values_asks_which_is_the_event():
    rows = [f"B{i},{i % 23},{['Completed', 'Completed', 'Late', 'No-show'][i % 4]}" for i in range(200)]
    at = upload(open_app("app_pages/data.py"), "salon.csv", ("booking,days_ahead,Status\n" + "\n".join(rows)).encode())
    prepared = at.session_state[state.PREPARED]
    roles = prepared.roles.with_role("Status", Role.TARGET)  # as a user sets it in the roles table
    at.session_state[state.PREPARED] = replace(prepared, roles=replace(roles, shape=Shape.ENTITY))
    at.run()
    assert not at.exception
    event = at.radio(key=state.POSITIVE_PICK + "Status")
    assert event.options == ["Completed", "Late", "No-show"] and event.value == "No-show"
    assert "(the others count as no event)" in event.label
    said = " ".join(e.label for e in at.expander).replace("\\", "")
    assert "'Status' = No-show on 50 of 200 rows (25.0%). The other values (Completed, Late) count as no event." in said


def test_an_hourly_file_aggregated_keeps_the_staff_on_the_floor_to_price_as_today():
    """A gym's check-ins per date and hour beside the staff on the floor: the staff are kept (as
    each hour's average; one row an hour here), so the rota is what today's money is priced on."""
    hours = [f"{day:%Y-%m-%d},{h:02d}:00,{20 + (h * day.day) % 17},{1 + h % 3}" for day in pd.date_range(
        "2024-06-03", periods=3) for h in range(8, 12)]  # fmt: skip
    text = ("Date,Hour,Check-ins,Staff on floor\n" + "\n".join(hours) + "\n").encode()
    at = upload(open_app("app_pages/data.py"), "gym.csv", text)
    assert at.session_state[state.PREPARED].roles.shape.value == "event log"
    assert at.multiselect(key=state.AGG_PREFIX + "kept").value == ["Staff on floor"]  # offered, to see and change
    at.selectbox(key=state.AGG_PREFIX + "qty").set_value("Check-ins").run()
    at.selectbox(key=state.AGG_PREFIX + "period").set_value("hour").run()
    at.button(key=state.AGG_PREFIX + "go").click().run()
    assert not at.exception
    prepared = at.session_state[state.PREPARED]
    assert prepared.frame["Staff on floor"].tolist()[:4] == [1 + h % 3 for h in range(8, 12)]
    assert prepared.roles.one(Role.DECISION) == "Staff on floor"
    assert "'Staff on floor' kept as each hour's average" in prepared.note


def test_a_subscription_export_with_a_cancellation_date_has_its_outcome_read_from_it():
    from tests.unit.test_dated_entities import _subscriptions

    at = upload(open_app("app_pages/data.py"), "subscriptions.csv", _subscriptions())
    assert not at.exception
    prepared = at.session_state[state.PREPARED]
    assert prepared.roles.one(Role.TARGET) == "Ended (from 'cancelled_on')"
    assert prepared.roles.roles["cancelled_on"] == Role.IGNORE
    assert at.radio(key=state.POSITIVE_PICK + "Ended (from 'cancelled_on')").value == "yes"
    assert "Payoff read 'cancelled_on' as the outcome" in prepared.note
    said = " ".join(e.label for e in at.expander).replace("\\", "")
    assert "A blank is one still here: it is read as the outcome 'Ended (from 'cancelled_on')' (no)." in said
