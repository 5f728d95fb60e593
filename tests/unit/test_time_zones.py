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
