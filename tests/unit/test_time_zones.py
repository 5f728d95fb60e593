"""Times written with their zone ('2023-03-01T12:44:50Z', a shop platform's export) are read as
UTC clock times: the run is priced and saved like any other (a zone-aware column once failed the
save of a whole run with "Object arrays cannot be saved")."""

import numpy as np
import pandas as pd

from payoff.carry.serial import from_bytes, to_bytes
from payoff.data.load import read_table
from payoff.data.roles import suggest_roles
from tests.helpers import analyse


def test_a_run_on_zoned_times_is_saved_and_read_back():
    days = pd.date_range("2024-01-01", periods=150, freq="D")
    rng = np.random.default_rng(6)
    text = "created_at,sku,qty\n" + "".join(
        f"{day:%Y-%m-%dT%H:%M:%SZ},{sku},{rng.poisson(12)}\n" for day in days for sku in ("TEA", "COFFEE")
    )
    frame = read_table(text.encode(), "orders.csv").frame
    assert frame["created_at"].dt.tz is None and frame["created_at"].iloc[0] == pd.Timestamp("2024-01-01")
    analysis = analyse(
        frame, suggest_roles(frame), "perishable", params={"price": 9, "unit_cost": 4}, models=("naive",)
    )
    again = from_bytes(to_bytes(analysis))
    assert again.impact.recommended.gain == analysis.impact.recommended.gain


def test_times_with_an_offset_keep_their_local_day():
    """A Paris shop's daily export stamped at local midnight, +01:00 in winter and +02:00 in
    summer: in UTC every stamp would be 22:00 or 23:00 the day before, every day shifted by one
    (Monday's sales on Sunday). Read as the clock written, each day is its own, and a sale at
    00:30+02:00 is on the 1st."""
    days = pd.date_range("2024-03-25", periods=10, freq="D", tz="Europe/Paris")  # across the clock change
    text = "jour,ventes\n" + "".join(f"{day.isoformat()},{i}\n" for i, day in enumerate(days))
    assert "+01:00" in text and "+02:00" in text
    loaded = read_table(text.encode(), "ventes.csv")
    assert list(loaded.frame["jour"]) == list(pd.date_range("2024-03-25", periods=10, freq="D"))
    said = [issue.message for issue in loaded.detection.issues if issue.kind == "time_zone"]
    assert said == [
        "'jour' has times written with their offset from UTC (+01:00, +02:00): read as the clock times written, "
        "so each row falls on its own local day."
    ]
    late = read_table(b"sold_at,qty\n2023-03-01T00:30:00+0200,2\n2023-03-01T23:59:00+0200,1\n", "till.csv").frame
    assert list(late["sold_at"].dt.day) == [1, 1]


def test_a_parquet_files_zoned_times_are_the_clock_in_their_own_zone():
    stamps = pd.Series(pd.date_range("2024-06-01 00:30", periods=3, freq="D", tz="Europe/Paris"))
    content = pd.DataFrame({"sold_at": stamps, "qty": [1, 2, 3]}).to_parquet()
    loaded = read_table(content, "till.parquet")
    assert list(loaded.frame["sold_at"]) == list(pd.date_range("2024-06-01 00:30", periods=3, freq="D"))
    assert any("read as clock times in Europe/Paris" in issue.message for issue in loaded.detection.issues)
