"""Data-quality findings in plain words, each with the rows it concerns.

Like a lazy validator, every check runs and all findings are returned together; none stops the
analysis. Rows are 0-based positions in the loaded frame (pages show them as the table's index)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from payoff.data import fast
from payoff.data.ended import ENDED_FROM, ended_name
from payoff.data.findings import MAX_ROWS_LISTED, Finding
from payoff.data.findings import rows_of as _rows
from payoff.data.keys import BLANK, key_text
from payoff.data.outcomes import class_balance, no_outcome_said
from payoff.data.roles import CLOSED_NAME, Role, RoleMap, Shape, is_binary, one_value_or_blank
from payoff.data.shut_days import shut_on, weekdays_never_open
from payoff.timegrid import infer_frequency

ADJECTIVE = {"hour": "hourly", "day": "daily", "week": "weekly", "month": "monthly"}


def check(frame: pd.DataFrame, roles: RoleMap) -> list[Finding]:
    findings: list[Finding] = []
    findings += _missing(frame, roles)
    findings += _duplicates(frame, roles)
    findings += _constant(frame)
    target = roles.one(Role.TARGET)
    date = roles.one(Role.DATE)
    keys = roles.columns(Role.SERIES_KEY)
    dated = date is not None and date in frame and pd.api.types.is_datetime64_any_dtype(frame[date])
    if date and date in frame and not dated:
        findings.append(_not_dates(frame, date))  # nothing over time can be checked without dates
    if roles.shape == Shape.TIME_SERIES and date is not None and dated and target and target in frame:
        closed = closed_rows(frame, date, keys, target)
        findings += _closures(frame, date, closed)
        findings += _series_checks(frame, date, keys, target, closed)
        findings += _blank_keys(frame, keys)
    if roles.shape == Shape.ENTITY and target:
        findings += class_balance(frame, target, roles.positive_class)
    if target and pd.api.types.is_numeric_dtype(frame[target]) and roles.shape != Shape.ENTITY:
        findings += _outliers(frame, target, keys if roles.shape == Shape.TIME_SERIES else None)
    return findings


def _not_dates(frame: pd.DataFrame, date: str) -> Finding:
    """A column marked as the date that was not read as dates, with one of its values."""
    written = frame[date].dropna()
    example = f" (such as '{written.iloc[0]}')" if len(written) else ""
    return Finding(
        "not_dates",
        "problem",
        f"'{date}' is marked as the date, but Payoff could not read its values{example} as dates. Write them "
        "in the file as 2024-01-31 (or 31/01/2024), or mark another column as the date.",
        date,
    )


def _missing(frame: pd.DataFrame, roles: RoleMap) -> list[Finding]:
    out = []
    counts = frame.isna().sum()
    outcome = roles.one(Role.TARGET) if roles.shape == Shape.ENTITY else None
    for column, count in counts[counts > 0].items():
        share = count / len(frame)
        if column == outcome:
            said = no_outcome_said(frame, roles, str(column))
        elif column == frame.attrs.get(ENDED_FROM):
            said = f"A blank is one still here: it is read as the outcome '{ended_name(str(column))}' (no)."
        elif one_value_or_blank(frame[column]):
            said = (
                f"Its one value is '{frame[column].dropna().iloc[0]!s:.30}': a blank is read as its no, a yes/no flag."
            )
        else:
            said = "Models treat missing values as unknown; fill them in the file if a blank means zero."
        out.append(
            Finding(
                "missing_values",
                "warning" if share > 0.05 else "info",
                f"'{column}' is missing on {count:,} row(s) ({share:.1%}). {said}",
                str(column),
                _rows(frame[column].isna()),
                int(count),
            )
        )
    return out


def _duplicates(frame: pd.DataFrame, roles: RoleMap) -> list[Finding]:
    out = []
    duplicated = fast.duplicated(frame)
    if duplicated.any():
        out.append(
            Finding(
                "duplicate_rows",
                "warning",
                f"{int(duplicated.sum()):,} row(s) repeat an earlier row exactly. Remove them if they are "
                "double exports; keep them if they are genuine repeat events.",
                None,
                _rows(duplicated),
                int(duplicated.sum()),
            )
        )
    date = roles.one(Role.DATE)
    if roles.shape == Shape.TIME_SERIES and date:
        keys = [date, *roles.columns(Role.SERIES_KEY)]
        pairs = fast.repeated(frame, keys) & ~duplicated.to_numpy()
        if pairs.any():
            what = " and ".join(keys)
            out.append(
                Finding(
                    "duplicate_date_series",
                    "problem",
                    f"{int(pairs.sum()):,} row(s) share the same {what} with another row, so a series has two "
                    "values for one date. Mark the column that tells them apart as a series key, or "
                    "aggregate the file as an event log.",
                    None,
                    _rows(pairs),
                    int(pairs.sum()),
                )
            )
    return out


def _constant(frame: pd.DataFrame) -> list[Finding]:
    out = []
    for column in frame.columns:
        present = frame[column].dropna()
        if len(present) and bool((present == present.iloc[0]).all()):  # cheaper than nunique
            if one_value_or_blank(frame[column]):
                continue  # 'sent' or blank: a flag, said among the missing values
            value = present.iloc[0]
            out.append(
                Finding(
                    "constant_column",
                    "info",
                    f"'{column}' holds the same value ({value!s:.30}) on every row; it carries no information "
                    "and is ignored.",
                    str(column),
                    (),
                    len(frame),
                )
            )
    return out


def closed_rows(frame: pd.DataFrame, date: str, keys: list[str], target: str) -> np.ndarray:
    """Rows of a closed day: the file's closed-days column says so, or every row of the date (or
    of the date and one key value, such as every item of a shop) sold nothing, with two rows or
    more to tell a closure from one item's bad day."""
    values = pd.to_numeric(frame[target], errors="coerce")
    zero = (values == 0).to_numpy()
    closed = np.zeros(len(frame), dtype=bool)
    marker = next((c for c in frame.columns if CLOSED_NAME.search(str(c)) and is_binary(frame[c])), None)
    if marker is not None:
        flags = frame[marker]
        closed |= flags.astype("str").str.strip().str.lower().isin({"1", "1.0", "true", "yes", "y"}).to_numpy()
    # grouped through integer codes: pandas' groupby over a million strings of the date and each key
    # took 165 MB at its peak (7.8 times the file on an unsorted one), the codes take 8 MB a column
    day = fast.codes(frame[date])
    for group in [day, *([_paired(day, fast.codes(frame[key])) for key in keys] if len(keys) >= 2 else [])]:
        size = np.bincount(group)
        zeros = np.bincount(group, weights=zero)
        closed |= (zeros[group] == size[group]) & (size[group] >= 2)
    return closed


def _paired(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One code per pair of two code arrays, from 0: the pair's own number where there are no more
    pairs than rows (10 days x 500 items), else renumbered by sorting."""
    paired = first * (int(second.max(initial=0)) + 1) + second
    if int(first.max(initial=0) + 1) * int(second.max(initial=0) + 1) <= max(len(paired), 1):
        return paired
    return np.unique(paired, return_inverse=True)[1].reshape(-1)


def _closures(frame: pd.DataFrame, date: str, closed: np.ndarray) -> list[Finding]:
    if not closed.any():
        return []
    days = int(frame.loc[closed, date].nunique())
    return [
        Finding(
            "closed_periods",
            "info",
            f"{days:,} date(s) look closed (marked closed, or nothing sold across a whole store or the business, "
            f"{int(closed.sum()):,} rows): they are closures, not stockouts, and no order or cost is counted on them.",
            date,
            _rows(closed),
            int(closed.sum()),
        )
    ]


def _series_checks(
    frame: pd.DataFrame, date: str, keys: list[str], target: str, closed: np.ndarray | None = None
) -> list[Finding]:
    out: list[Finding] = []
    detected = infer_frequency(frame[date])
    frequency, season = detected.unit, detected.season
    step = {
        "hour": pd.Timedelta(hours=1),
        "day": pd.Timedelta(days=1),
        "week": pd.Timedelta(days=7),
        "month": pd.Timedelta(days=30.44),
    }[frequency]
    # Sort once by (series, date) on integer codes, then work on plain arrays: cheaper in time
    # and memory than sorting string keys and grouping pandas objects (a million rows).
    # Series ids as int32 and masks as bools: a million rows pass through a dozen arrays here.
    codes = (
        frame.groupby(keys, sort=False, observed=True, dropna=False).ngroup().to_numpy().astype(np.int32)
        if keys
        else np.zeros(len(frame), np.int32)
    )
    stamps = frame[date].to_numpy()
    # One integer key per row (series, then the date's rank; missing dates last, as a lexsort
    # puts them) sorted stably: the same order as lexsort((stamps, codes)), in a third of the time.
    ranks, dates = pd.factorize(stamps, sort=True)
    ranks[ranks < 0] = len(dates)
    order = np.argsort(codes.astype("int64") * (len(dates) + 1) + ranks, kind="stable")
    del ranks
    series_id = codes[order]
    del codes
    stamps = stamps[order]
    n_series = int(series_id.max()) + 1 if len(series_id) else 0
    starts = np.flatnonzero(np.r_[True, series_id[1:] != series_id[:-1]])
    ends = np.r_[starts[1:], len(series_id)] - 1
    ids = series_id[starts]
    first_seen, last_seen = pd.Series(stamps[starts], index=ids), pd.Series(stamps[ends], index=ids)
    new_date = np.r_[True, (series_id[1:] != series_id[:-1]) | (stamps[1:] != stamps[:-1])]
    distinct = pd.Series(np.bincount(series_id[new_date], minlength=n_series)[ids], index=ids)
    del new_date, stamps
    if keys:
        firsts = key_text(frame[keys].iloc[order[starts]])
        labels = pd.Series(firsts[keys[0]].to_numpy(), index=ids)
        for key in keys[1:]:
            labels = labels + " / " + firsts[key].to_numpy()
    else:
        labels = pd.Series(["the series"], index=ids)
    expected = ((last_seen - first_seen) / step).round() + 1
    shut = weekdays_never_open(dates) if frequency == "day" else []
    if shut:  # a shop shut every Sunday: its Sundays are not gaps
        weekmask = [0 if day in shut else 1 for day in range(7)]
        first, last = (np.asarray(s.to_numpy(), dtype="datetime64[D]") for s in (first_seen, last_seen))
        dated = ~(np.isnat(first) | np.isnat(last))  # a series whose every date is blank has no span
        open_days = np.zeros(len(first))
        open_days[dated] = np.busday_count(first[dated], last[dated] + 1, weekmask=weekmask)
        expected = pd.Series(open_days, index=ids).where(dated, expected)
        out.append(shut_on(shut, date))
    missing = (expected - distinct).clip(lower=0)
    gap_series = []
    # Labels looked up as whole arrays: one lookup per series cost 1.5 s on 100,000 series.
    if frequency in ("day", "week"):
        gaps = missing[missing > 0]
        gap_series = list(
            zip(labels[gaps.index].tolist(), gaps.astype(int).tolist(), first_seen[gaps.index].tolist(), strict=True)
        )
    gap_rows: list[int] = []
    short = distinct[distinct < 2 * season].sort_values(kind="stable")
    short_series = list(zip(labels[short.index].tolist(), short.astype(int).tolist(), strict=True))
    values = frame[target].to_numpy(dtype="float64", na_value=np.nan)[order]
    # "otherwise selling": the series sells in at least 30% of its periods (not intermittent demand)
    rows_per_series = np.bincount(series_id, minlength=n_series)
    selling = np.bincount(series_id, weights=values > 0, minlength=n_series) / np.maximum(rows_per_series, 1)
    zero = values == 0
    if closed is not None:
        zero &= ~closed[order]  # a closed day is not a stockout
    del values
    run = np.cumsum(np.r_[True, (zero[1:] != zero[:-1]) | (series_id[1:] != series_id[:-1])], dtype=np.int32)
    minimum_run = 7 if frequency == "day" else 3
    long_run = (np.bincount(run) >= minimum_run)[run]
    del run
    in_run = zero & long_run & (selling >= 0.3)[series_id] & (frequency in ("day", "week"))
    zero_rows = frame.index[order[in_run]].tolist()
    zero_series = pd.unique(series_id[in_run]).tolist()
    if gap_series:
        worst = sorted(gap_series, key=lambda g: -g[1])[:3]
        detail = "; ".join(f"{label}: {n} missing dates" for label, n, _ in worst)
        out.append(
            Finding(
                "date_gaps",
                "warning",
                f"{len(gap_series)} series have gaps in their {ADJECTIVE[frequency]} dates ({detail}). If the business "
                "was closed, that is fine; if sales were zero, add rows with 0 so models learn it.",
                date,
                tuple(gap_rows),
                sum(g[1] for g in gap_series),
            )
        )
    if short_series:
        out.append(
            Finding(
                "short_history",
                "warning",
                f"{len(short_series)} series have fewer than {2 * season} {frequency}s of history (two "
                f"seasons of {season}); seasonal models fall back to simpler ones there "
                f"(shortest: {short_series[0][0]} with {short_series[0][1]}).",
                date,
                (),
                len(short_series),
            )
        )
    negative = frame[target] < 0
    if negative.any():
        out.append(
            Finding(
                "negative_quantity",
                "warning",
                f"'{target}' is negative on {int(negative.sum()):,} row(s): returns or corrections? Demand "
                "cannot be negative, so they count as zero demand in the money figures.",
                target,
                _rows(negative),
                int(negative.sum()),
            )
        )
    if zero_series:
        positions = frame.index.get_indexer(zero_rows)
        out.append(
            Finding(
                "zero_runs",
                "warning",
                f"{len(zero_series)} series have long runs of zero '{target}' in otherwise selling periods; "
                "these look like stockouts (no stock, so no sales) rather than no demand.",
                target,
                tuple(int(p) for p in positions[:MAX_ROWS_LISTED]),
                len(zero_rows),
            )
        )
    return out


def _blank_keys(frame: pd.DataFrame, keys: list[str]) -> list[Finding]:
    out = []
    for key in keys:
        blank = frame[key].isna()
        if blank.any():
            out.append(
                Finding(
                    "blank_series_key",
                    "warning",
                    f"'{key}' is blank on {int(blank.sum()):,} row(s); they are kept together as the series "
                    f"'{BLANK}'. Fill in '{key}' there if those rows belong to named series.",
                    key,
                    _rows(blank),
                    int(blank.sum()),
                )
            )
    return out


def _outliers(frame: pd.DataFrame, target: str, keys: list[str] | None = None) -> list[Finding]:
    """Values far above the usual range: five spreads (interquartile) above the upper quartile,
    of the whole column, and with series keys of the value's own series too (a shop's carrier bags
    sell a thousand a day where its loaves sell forty: every bag day is not a typo). The series'
    quartiles are worked out only when the whole column flags something."""
    values = frame[target].astype("float64")
    q1, q3 = values.quantile([0.25, 0.75])
    spread = q3 - q1
    if not np.isfinite(spread) or spread <= 0:
        return []
    high = values > q3 + 5 * spread
    if not high.any():
        return []
    within = ""
    if keys:
        codes = pd.MultiIndex.from_frame(key_text(frame[keys])).factorize()[0]
        grouped = values.groupby(codes)
        own_q1, own_q3 = (grouped.quantile(q).reindex(codes).to_numpy() for q in (0.25, 0.75))
        own_spread = own_q3 - own_q1
        high &= (values > own_q3 + 5 * np.where(own_spread > 0, own_spread, spread)).to_numpy()
        within = " of their own series and of the whole column"
        if not high.any():
            return []
    return [
        Finding(
            "outliers",
            "info",
            f"{int(high.sum()):,} value(s) of '{target}' are far above the usual range{within} (above "
            f"{q3 + 5 * spread:,.1f}); check they are real (a bulk order) and not typos.",
            target,
            _rows(high),
            int(high.sum()),
        )
    ]


__all__ = ["Finding", "check", "is_binary"]
