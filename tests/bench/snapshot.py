"""Every sample and every public file through `payoff analyze`, JSON written to a folder: run it
before and after a refactor and compare the folders byte for byte (the numbers must not move).

    python -m tests.bench.snapshot OUT_DIR [--only NAME]"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from payoff.runtime import samples
from tests.realdata import REALDATA

PUBLIC = {
    "walmart": (
        "walmart_weekly/Walmart.csv",
        ["--framing", "inventory", "--set", "gross_margin=25%", "--set", "holding_rate=0.4%", "--country", "US"],
    ),
    "callcenter": (
        "callcenter_technion/Oct_clean.csv",
        [
            "--framing",
            "staffing",
            "--aggregate",
            "hour",
            "--time",
            "vru_exit",
            "--set",
            "units_per_staff=12",
            "--set",
            "staff_cost=25",
            "--set",
            "unserved_cost=8",
        ],
    ),
    "bank": (
        "bank_marketing/bank-additional-full.csv",
        [
            "--framing",
            "leads",
            "--set",
            "value=100",
            "--set",
            "contact_cost=15",
            "--ignore",
            "duration",
            "--status-quo",
            "everybody",
        ],
    ),
    "telco": (
        "telco_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv",
        ["--framing", "churn", "--set", "value_periods=12", "--set", "contact_cost=10", "--set", "offer_cost=20"],
    ),
    "taiwan": (
        "credit_default_taiwan/UCI_Credit_Card.csv",
        [
            "--framing",
            "credit",
            "--target",
            "Y",
            "--value-col",
            "X1",
            "--set",
            "margin=0.05",
            "--set",
            "loss_given_default=0.5",
        ],
    ),
    "yaz": (
        "yaz_restaurant/yaz_ingredients_daily.csv",
        [
            "--framing",
            "perishable",
            "--target",
            "demand",
            "--set",
            "price=12",
            "--set",
            "unit_cost=4",
            "--country",
            "DE",
        ],
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--only")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    payoff = str(Path(sys.executable).with_name("payoff"))
    runs: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for sample in samples.SAMPLES:
            file = Path(folder) / sample.filename
            file.write_bytes(samples.sample_bytes(sample.name))
            runs[sample.name] = [str(file), "--framing", sample.framing, "--assume-defaults"]
        for name, (relative, options) in PUBLIC.items():
            if (REALDATA / relative).exists():
                runs[name] = [str(REALDATA / relative), *options]
        for name, command in runs.items():
            if args.only and name != args.only:
                continue
            done = subprocess.run(
                [payoff, "analyze", *command, "--json", str(out / f"{name}.json")], capture_output=True, text=True
            )
            said = done.stderr.strip().splitlines()[-1:] if done.returncode else []
            print(f"{name}: exit {done.returncode}", *said)
    return 0


if __name__ == "__main__":
    sys.exit(main())
