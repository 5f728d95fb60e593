"""Generate Payoff's built-in sample datasets, deterministically (fixed seeds).

    python sample_data/generate.py        # rewrites the CSVs beside this file

Each dataset has real structure a good model can find and a naive status quo misses: weekly and
yearly seasonality and promotions for quantities; informative features for outcomes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
START = "2024-10-01"
DAYS = 730


def _yearly(dates: pd.DatetimeIndex, amplitude: float, peak_day: int = 350) -> np.ndarray:
    return 1 + amplitude * np.cos(2 * np.pi * (dates.day_of_year.to_numpy() - peak_day) / 365.25)


def retail_sales(rng: np.random.Generator) -> pd.DataFrame:
    """Daily units per item and store, with price, promotions and what the shop ordered.

    Demand = base x weekday pattern x yearly season x promotion lift (x1.8) x price effect,
    negative-binomial noise. The status quo orders last week's average plus 15%, blind to promos."""
    dates = pd.date_range(START, periods=DAYS, freq="D")
    weekday = np.array([0.85, 0.8, 0.9, 1.0, 1.25, 1.45, 0.75])[dates.day_of_week]
    items = {
        "espresso beans": (14, 9.5),
        "oat milk": (22, 2.4),
        "croissant": (35, 1.9),
        "granola": (9, 5.5),
        "orange juice": (18, 3.2),
        "sourdough": (26, 4.1),
    }
    rows = []
    for store, store_scale in (("Harbour St", 1.0), ("Mill Lane", 0.6)):
        for item, (base, price) in items.items():
            promo = (rng.random(DAYS) < 0.08).astype(int)
            promo = np.maximum(promo, np.roll(promo, 1))  # promotions run two days
            item_price = np.round(price * np.where(promo == 1, 0.8, 1.0) * (1 + 0.02 * rng.standard_normal(DAYS)), 2)
            mean = base * store_scale * weekday * _yearly(dates, 0.25) * np.where(promo == 1, 1.8, 1.0)
            mean = mean * (item_price / price) ** -1.2
            units = rng.negative_binomial(8, 8 / (8 + mean))
            recent = pd.Series(units).shift(1).rolling(7, min_periods=1).mean().bfill().to_numpy()
            ordered = np.ceil(recent * 1.15).astype(int)
            rows.append(
                pd.DataFrame(
                    {
                        "date": dates.strftime("%Y-%m-%d"),
                        "store": store,
                        "item": item,
                        "units_sold": units,
                        "price": item_price,
                        "promo": promo,
                        "unit_cost": round(price * 0.45, 2),
                        "units_ordered": ordered,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True).sort_values(["date", "store", "item"], kind="stable")


def call_centre(rng: np.random.Generator) -> pd.DataFrame:
    """Daily calls arriving and staff scheduled (each agent handles about 45 calls a day).

    The status quo staffs for the average of the same weekday over the last four weeks, +10%."""
    dates = pd.date_range(START, periods=DAYS, freq="D")
    weekday = np.array([1.35, 1.15, 1.05, 1.0, 0.95, 0.45, 0.3])[dates.day_of_week]
    trend = np.linspace(1.0, 1.25, DAYS)
    campaign = np.where((dates.month == 1) & (dates.day < 20), 1.4, 1.0)  # January billing wave
    calls = rng.poisson(420 * weekday * trend * campaign * _yearly(dates, 0.1, 20))
    history = pd.Series(calls)
    same_weekday = sum(history.shift(7 * k) for k in range(1, 5)) / 4
    staff = np.ceil(same_weekday.bfill().to_numpy() * 1.1 / 45).astype(int)
    return pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "calls": calls, "staff_scheduled": staff})


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def churn_customers(rng: np.random.Generator, n: int = 6000) -> pd.DataFrame:
    """Subscription customers, churned next quarter yes/no, monthly value; the status quo called
    customers whose satisfaction score was 1 or 2 ("contacted")."""
    tenure = rng.integers(1, 72, n)
    contract = rng.choice(["month-to-month", "one year", "two year"], n, p=[0.55, 0.25, 0.2])
    monthly = np.round(rng.gamma(6, 12, n) + 15, 2)
    support = rng.poisson(1.2, n)
    satisfaction = rng.integers(1, 6, n)
    payment = rng.choice(["card", "direct debit", "invoice"], n)
    region = rng.choice(["north", "south", "east", "west"], n)
    last_login = rng.exponential(12, n).round().astype(int)
    score = (
        -1.2
        - 0.035 * tenure
        + 1.3 * (contract == "month-to-month")
        - 0.8 * (contract == "two year")
        + 0.35 * support
        - 0.3 * (satisfaction - 3)
        + 0.04 * last_login
        + 0.006 * (monthly - 80)
        + 0.3 * (payment == "invoice")
    )
    churned = rng.random(n) < _logistic(score)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(1, n + 1)],
            "tenure_months": tenure,
            "contract": contract,
            "monthly_value": monthly,
            "support_calls_90d": support,
            "satisfaction": satisfaction,
            "payment_method": payment,
            "region": region,
            "days_since_login": last_login,
            "contacted": (satisfaction <= 2).astype(int),
            "churned": np.where(churned, "yes", "no"),
        }
    )


def card_transactions(rng: np.random.Generator, n: int = 20000) -> pd.DataFrame:
    """Card payments with amount and a fraud flag (about 1.5%); the status quo reviewed every
    payment over 900."""
    when = pd.Timestamp(START) + pd.to_timedelta(np.sort(rng.uniform(0, 180, n)), unit="D")
    amount = np.round(rng.lognormal(3.6, 1.0, n), 2)
    category = rng.choice(
        ["grocery", "fuel", "online", "travel", "electronics", "restaurant"], n, p=[0.3, 0.15, 0.25, 0.08, 0.07, 0.15]
    )
    hour = when.hour.to_numpy()
    foreign = rng.random(n) < 0.06
    card_age = rng.integers(1, 3000, n)
    velocity = rng.poisson(2, n)
    score = (
        -6.2
        + 0.45 * np.log1p(amount)
        + 1.6 * foreign
        + 0.9 * np.isin(category, ["online", "electronics"])
        + 0.8 * ((hour < 5) | (hour > 22))
        - 0.0008 * card_age
        + 0.35 * velocity
    )
    fraud = rng.random(n) < _logistic(score)
    return pd.DataFrame(
        {
            "transaction_id": [f"T{i:06d}" for i in range(1, n + 1)],
            "timestamp": when.strftime("%Y-%m-%d %H:%M:%S"),
            "amount": amount,
            "merchant_category": category,
            "hour": hour,
            "foreign_card": foreign.astype(int),
            "card_age_days": card_age,
            "payments_last_24h": velocity,
            "is_fraud": fraud.astype(int),
        }
    )


def leads(rng: np.random.Generator, n: int = 5000) -> pd.DataFrame:
    """Sales leads, converted yes/no, expected deal size; the status quo contacted every lead
    that came from a referral or requested a demo."""
    source = rng.choice(["web form", "referral", "event", "cold list", "partner"], n, p=[0.35, 0.15, 0.15, 0.25, 0.1])
    size = rng.choice(["1-10", "11-50", "51-200", "200+"], n, p=[0.4, 0.3, 0.2, 0.1])
    pages = rng.poisson(4, n)
    demo = rng.random(n) < 0.18
    days = rng.integers(0, 120, n)
    deal = np.round(rng.lognormal(8.2, 0.6, n) * np.select([size == "200+", size == "51-200"], [3, 1.8], 1), -1)
    score = (
        -3.0
        + 1.1 * (source == "referral")
        - 0.9 * (source == "cold list")
        + 0.5 * (source == "partner")
        + 0.15 * pages
        + 1.4 * demo
        - 0.012 * days
    )
    converted = rng.random(n) < _logistic(score)
    return pd.DataFrame(
        {
            "lead_id": [f"L{i:05d}" for i in range(1, n + 1)],
            "source": source,
            "company_size": size,
            "pages_viewed": pages,
            "demo_requested": np.where(demo, "yes", "no"),
            "days_since_first_touch": days,
            "deal_size": deal,
            "contacted": ((source == "referral") | demo).astype(int),
            "converted": np.where(converted, "yes", "no"),
        }
    )


def loans(rng: np.random.Generator, n: int = 5000) -> pd.DataFrame:
    """Small-business loans, defaulted yes/no, amount; the status quo approved applicants with a
    credit score of 600 or more."""
    amount = np.round(rng.lognormal(9.6, 0.7, n), -2)
    income = np.round(rng.lognormal(10.9, 0.5, n), -2)
    credit = np.clip(rng.normal(660, 70, n), 350, 850).round().astype(int)
    dti = np.round(np.clip(rng.beta(2, 5, n), 0.01, 0.95), 3)
    years = rng.integers(0, 30, n)
    purpose = rng.choice(["equipment", "working capital", "expansion", "refinance"], n)
    term = rng.choice([12, 24, 36, 60], n)
    score = (
        -1.6
        - 0.012 * (credit - 660)
        + 3.0 * (dti - 0.3)
        - 0.04 * years
        + 0.25 * (amount / income)
        + 0.3 * (purpose == "working capital")
        + 0.006 * (term - 36)
    )
    default = rng.random(n) < _logistic(score)
    return pd.DataFrame(
        {
            "loan_id": [f"B{i:05d}" for i in range(1, n + 1)],
            "amount": amount,
            "term_months": term,
            "annual_income": income,
            "credit_score": credit,
            "debt_to_income": dti,
            "years_in_business": years,
            "purpose": purpose,
            "approved": (credit >= 600).astype(int),
            "defaulted": np.where(default, "yes", "no"),
        }
    )


GENERATORS = {
    "retail_sales": retail_sales,
    "call_centre": call_centre,
    "churn_customers": churn_customers,
    "card_transactions": card_transactions,
    "leads": leads,
    "loans": loans,
}


def main() -> None:
    for seed, (name, generate) in enumerate(GENERATORS.items(), start=2026):
        frame = generate(np.random.default_rng(seed))
        path = HERE / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n")
        print(f"{path.name}: {len(frame):,} rows, {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
