"""The Data page's pieces: choosing a file, the reading options, roles and findings."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TypeVar

import pandas as pd
import streamlit as st

from payoff.data import quality, reshape
from payoff.data.ended import with_outcome_from_end_date
from payoff.data.load import Detection, LoadedTable, LoadOptions
from payoff.data.money_columns import CURRENCY_SIGN
from payoff.data.roles import Role, RoleMap, Shape, hinted, positive_class, quantity_named, suggest_roles
from payoff.data.sniff import DELIMITER_NAMES
from payoff.data.unit_price import with_unit_price
from payoff.data.yes_no import MOST_OUTCOME_VALUES
from payoff.errors import PayoffError
from payoff.params import FROM_SAMPLE, money_target
from payoff.problem import Choices
from payoff.runtime import samples
from payoff.ui import navigation, state
from payoff.ui.widgets import current_table, dates_as_written, plain, seeded, show_error

UPLOAD_TYPES = ["csv", "tsv", "txt", "dat", "data", "xlsx", "xlsm", "xls", "parquet", "pq", "gz", "zip"]
AUTO = "detect"
NOT_A_SERIES = re.compile(r"total|waste|wastage|revenue|takings|turnover|weather|temp", re.I)
NO_TIME, COUNT_ROWS, NO_PRICE = "none", "count rows", "no price"  # the aggregation's choices that are no column


def load_sample(name: str) -> None:
    sample = samples.get_sample(name)
    choices = Choices(framing=sample.framing, scales=sample.scales, defaults_from=FROM_SAMPLE)
    state.set_dataset(state.DatasetState(sample.filename, samples.sample_bytes(name), sample=name), choices)


def source_picker() -> None:
    left, right = st.columns(2)
    with left:
        names = [s.name for s in samples.SAMPLES]
        titles = {s.name: s.title for s in samples.SAMPLES}
        pick = st.selectbox("Sample data", names, format_func=titles.__getitem__, key=state.SAMPLE_PICK)
        if st.button("Load sample", key=state.SAMPLE_LOAD):
            load_sample(pick)
            st.session_state.pop(state.UPLOAD_ID, None)
            st.rerun()  # redraw from the top so the sidebar shows the new dataset
    with right:
        upload = st.file_uploader(
            "Or upload your file (CSV, TSV, TXT, Excel .xlsx, Parquet; or one of them in a .gz or .zip)",
            type=UPLOAD_TYPES,
            key=state.UPLOAD,
        )
        if upload is not None and st.session_state.get(state.UPLOAD_ID) != upload.file_id:
            st.session_state[state.UPLOAD_ID] = upload.file_id
            state.set_dataset(state.DatasetState(upload.name, upload.getvalue()))
            st.rerun()


def detection_table(detection: Detection) -> pd.DataFrame:
    rows = [("File type", detection.file_type)]
    if detection.sheet:
        rows.append(("Sheet", f"{detection.sheet} (of {len(detection.sheets)})"))
    if detection.encoding:
        rows += [("Encoding", detection.encoding), ("Line endings", detection.line_endings)]
    if detection.delimiter:
        rows.append(("Separator", DELIMITER_NAMES.get(detection.delimiter, detection.delimiter)))
    rows += [
        ("Decimal mark", detection.decimal),
        ("Thousands separator", {None: "none", " ": "space"}.get(detection.thousands, detection.thousands or "")),
        ("Header row", "yes" if detection.header else "no (columns named column_1, column_2 ...)"),
        ("Lines above the header skipped", str(len(detection.preamble))),
        ("Total/footer lines skipped", str(len(detection.footer))),
    ]
    return pd.DataFrame(rows, columns=["What", "Detected"])


Chosen = TypeVar("Chosen")  # what a reading option's labels stand for: an encoding, a flag, ...


def _choice(label: str, options: dict[str, Chosen], current: Chosen, key: str) -> Chosen:
    labels = list(options)
    values = list(options.values())
    index = values.index(current) if current in values else 0
    picked = st.selectbox(label, labels, key=seeded(key, labels[index]))
    return options[picked]


def reading_options(dataset: state.DatasetState, table: LoadedTable | None) -> LoadOptions:
    """Every detected option can be overridden; 'detect' keeps Payoff's guess."""
    options = dataset.options
    key = state.OPT_PREFIX
    with st.expander("Reading options (change anything Payoff guessed wrong)", expanded=table is None):
        c1, c2, c3 = st.columns(3)
        with c1:
            encoding = _choice(
                "Encoding",
                {AUTO: None, "UTF-8": "utf-8", "Windows-1252": "cp1252", "Latin-1": "latin-1", "UTF-16": "utf-16"},
                options.encoding,
                key + "enc",
            )
            delimiter = _choice(
                "Separator", {AUTO: None, **{v: k for k, v in DELIMITER_NAMES.items()}}, options.delimiter, key + "sep"
            )
            header = _choice("Header row", {AUTO: None, "yes": True, "no": False}, options.header, key + "hdr")
        with c2:
            decimal = _choice(
                "Decimal mark", {AUTO: None, "point (1.5)": ".", "comma (1,5)": ","}, options.decimal, key + "dec"
            )
            thousands = _choice(
                "Thousands separator",
                {AUTO: None, "comma": ",", "point": ".", "space": " ", "apostrophe": "'"},
                options.thousands,
                key + "thou",
            )
            dayfirst = _choice(
                "Dates like 03/04",
                {AUTO: None, "day first (3 April)": True, "month first (March 4)": False},
                options.dayfirst,
                key + "day",
            )
        with c3:
            preamble = st.number_input(
                "Lines above the header (-1 = detect)",
                -1,
                1000,
                key=seeded(key + "pre", -1 if options.preamble_lines is None else options.preamble_lines),
            )
            footer = st.number_input(
                "Lines at the end to skip (-1 = detect)",
                -1,
                1000,
                key=seeded(key + "foot", -1 if options.footer_lines is None else options.footer_lines),
            )
            ragged = _choice(
                "Rows with too few/many fields",
                {"pad and report": "pad", "skip and report": "skip", "stop with an error": "error"},
                options.ragged,
                key + "rag",
            )
        sheet = options.sheet
        if table is not None and len(table.detection.sheets) > 1:
            detected = table.detection.sheet or table.detection.sheets[0]
            picked = st.selectbox("Sheet", table.detection.sheets, key=seeded(key + "sheet", detected))
            sheet = picked if picked != detected or options.sheet else None  # keep "detect" until changed
        date_formats = dict(options.date_formats)
        if table is not None:
            mixed = [i.column for i in table.detection.issues if i.kind == "mixed_date_formats" and i.column]
            for column in mixed:
                fmt = st.text_input(
                    f"Date format for '{column}' (e.g. %d/%m/%Y)",
                    key=seeded(key + "fmt." + column, date_formats.get(column, "")),
                )
                if fmt.strip():
                    date_formats[column] = fmt.strip()
    return replace(
        options,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        decimal=decimal,
        thousands=thousands,
        dayfirst=dayfirst,
        preamble_lines=None if preamble < 0 else int(preamble),
        footer_lines=None if footer < 0 else int(footer),
        ragged=str(ragged),
        sheet=sheet,
        date_formats=tuple(sorted(date_formats.items())),
    )


def issues(table: LoadedTable) -> None:
    for issue in table.detection.issues:
        st.warning(plain(issue.message))
    for old, new in table.detection.renamed_columns:
        st.caption(f"Column {plain(repr(old))} renamed to {plain(repr(new))}.")
    if table.detection.preamble:
        with st.expander(f"{len(table.detection.preamble)} line(s) above the header were skipped"):
            st.code("\n".join(table.detection.preamble), language=None)
    if table.detection.footer:
        with st.expander(f"{len(table.detection.footer)} total/footer line(s) at the end were skipped"):
            st.code("\n".join(table.detection.footer), language=None)


def types_table(table: LoadedTable) -> pd.DataFrame:
    return pd.DataFrame(
        [(t.name, t.kind, t.detail) for t in table.detection.column_types], columns=["Column", "Type", "Detail"]
    )


def prepared_for(table: LoadedTable, dataset: state.DatasetState) -> state.Prepared:
    """The prepared table for the current file and options, suggesting roles the first time."""
    source_key = (dataset.name, len(dataset.content), hash(dataset.content), dataset.options)
    current = state.prepared()
    if current is not None and current.source_key == source_key:
        return current
    frame, roles, ended = with_outcome_from_end_date(table.frame, suggest_roles(table.frame))
    frame, roles, priced = with_unit_price(frame, roles)
    prepared = state.Prepared(frame, roles, source_key, " ".join(n for n in (ended, priced) if n))
    state.set_prepared(prepared)
    state.suggest_currency(str(table.frame.attrs.get(CURRENCY_SIGN, "")))
    return prepared


def roles_editor(prepared: state.Prepared) -> RoleMap:
    roles = prepared.roles
    editor = pd.DataFrame(
        {
            "column": list(roles.roles),
            "role": [r.value for r in roles.roles.values()],
            "why": [roles.reasons.get(c, "") for c in roles.roles],
        }
    )
    edited = st.data_editor(
        editor,
        column_config={
            "column": st.column_config.TextColumn("Column", disabled=True),
            "role": st.column_config.SelectboxColumn("Role", options=[r.value for r in Role], required=True),
            "why": st.column_config.TextColumn("Why Payoff suggested it", disabled=True),
        },
        hide_index=True,
        width="stretch",
        key=state.ROLE_EDITOR,
    )
    new_roles = {row.column: Role(row.role) for row in edited.itertuples()}
    shapes = [s.value for s in Shape]
    shape = Shape(st.selectbox("Table shape", shapes, key=seeded(state.SHAPE_PICK, roles.shape.value)))
    target = next((c for c, r in new_roles.items() if r == Role.TARGET), None)
    positive = roles.positive_class
    if target and shape == Shape.ENTITY and 2 <= prepared.frame[target].nunique() <= MOST_OUTCOME_VALUES:
        suggested = positive_class(prepared.frame[target], target)
        positive = positive if target == roles.one(Role.TARGET) and positive else suggested
        values = sorted({str(value) for value in prepared.frame[target].dropna().unique()})
        others = " (the others count as no event)" if len(values) > 2 else ""
        positive = st.radio(
            f"Which value of '{target}' is the event to predict (the churn, the fraud, the no-show)?{others}",
            values,
            index=values.index(positive) if positive in values else 0,
            horizontal=True,
            key=f"{state.POSITIVE_PICK}{target}",
            help="The models predict the chance of this value; the money is priced on it. Payoff suggested "
            f"'{suggested}'.",
        )
    updated = roles.edited(new_roles, shape, positive)
    if updated != roles:
        state.set_prepared(replace(prepared, roles=updated))
        if updated.reasons != roles.reasons:
            st.rerun()  # the table above was drawn with the old reasons: "set by you" shows at once
    return updated


def reshape_controls(prepared: state.Prepared) -> None:
    frame, roles = prepared.frame, prepared.roles
    key = state.AGG_PREFIX
    if roles.shape == Shape.EVENT_LOG:
        st.info(
            "This looks like an event log (one row per call, order line or visit). Aggregate it to one "
            "row per period to forecast volumes."
        )
        dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
        # Options are text: a None set through the session's state shows an empty box, not "none"
        times = [NO_TIME, *[c for c in frame.columns if pd.api.types.is_timedelta64_dtype(frame[c])]]
        numbers = [COUNT_ROWS, *[c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]]
        others = [c for c in frame.columns if c not in dates and frame[c].nunique() <= 200]
        c1, c2, c3 = st.columns(3)
        date = c1.selectbox("Date of the event", dates, key=seeded(key + "date", dates[0])) if dates else None
        picked_time = c1.selectbox(
            "Time of day", times, key=seeded(key + "time", times[1] if len(times) > 1 else NO_TIME)
        )
        time = None if picked_time == NO_TIME else picked_time
        period = c2.selectbox("Period", reshape.PERIODS, key=seeded(key + "period", reshape.PERIODS[1]))
        # an order line's quantity is the demand (counting lines undercounts it), one series per item
        named_keys = [c for c in others if hinted(Role.SERIES_KEY, str(c)) and not hinted(Role.ID, str(c))]
        keys = c2.multiselect("One series per", others, key=seeded(key + "keys", named_keys[:1]))
        quantities = [c for c in numbers[1:] if quantity_named(str(c))]
        summed = c3.selectbox("Count rows, or sum", numbers, key=seeded(key + "qty", (quantities or [COUNT_ROWS])[0]))
        quantity = None if summed == COUNT_ROWS else summed
        # a price per line (an order line's unit price) is kept, so the money can use each item's own
        prices = [NO_PRICE, *[c for c in numbers[1:] if c != quantity]]
        detected = roles.one(Role.PRICE)
        picked_price = c3.selectbox(
            "Price per line, kept as each period's average",
            prices,
            key=seeded(key + "price", detected if detected in prices else NO_PRICE),
            help="Weighted by the quantity summed. A period without a sale keeps its series' last price.",
        )
        price = None if picked_price == NO_PRICE else picked_price
        # what the business decided each period (the staff on the floor) stays, to price as today's
        kept = [c for c in numbers[1:] if c not in (quantity, price)]
        averaged = c2.multiselect(
            "Also keep, as each period's average",
            kept,
            key=seeded(key + "kept", [c for c in kept if hinted(Role.DECISION, str(c))]),
            help="Numbers such as the staff on shift or what was ordered: kept per period, so the Problem page "
            "can price what you did.",
        )
        fill_closed = c3.checkbox("Zeros also when closed", key=seeded(key + "closed", False))
        if date and st.button("Aggregate", key=key + "go", type="primary"):
            spec = reshape.AggregateSpec(date, period, time, tuple(keys), quantity, fill_closed, price, tuple(averaged))
            try:
                aggregated = reshape.aggregate_events(frame, spec)
            except PayoffError as error:
                show_error(error)
                return
            note = f"Aggregated to one row per {period}" + (f" and {', '.join(keys)}" if keys else "")
            if averaged:
                note += f"; {', '.join(repr(c) for c in averaged)} kept as each {period}'s average"
            if price:
                note += f"; '{price}' kept as each {period}'s average price" + (
                    f", weighted by '{quantity}'" if quantity else ""
                )
            state.set_prepared(state.Prepared(aggregated, suggest_roles(aggregated), prepared.source_key, note))
            st.rerun()
    elif roles.shape == Shape.WIDE:
        st.info("This looks like a wide table with one column per series. Convert it to one row per date and series.")
        date = roles.one(Role.DATE)
        numeric = [c for c in frame.columns if c != date and pd.api.types.is_numeric_dtype(frame[c])]
        # a day's revenue or waste beside the products' columns is no product: not ticked to start
        products = [c for c in numeric if money_target(frame, c) is None and not NOT_A_SERIES.search(str(c))]
        picked = st.multiselect("Series columns", numeric, key=seeded(key + "wide", products or numeric))
        if date and st.button("Convert to long", key=key + "melt", type="primary"):
            try:
                # "quantity", never "value": a column named value reads as an amount of money
                long = reshape.wide_to_long(frame, date, picked, value_name="quantity")
            except PayoffError as error:
                show_error(error)
                return
            # the melted columns are the quantity: a day's waste (units) kept beside them is not
            long_roles = suggest_roles(long).with_role("quantity", Role.TARGET)
            state.set_prepared(state.Prepared(long, long_roles, prepared.source_key, "Converted to long"))
            st.rerun()


def findings(prepared: state.Prepared) -> None:
    found = quality.check(prepared.frame, prepared.roles)
    if not found:
        st.success("No data-quality problems found.")
        return
    icons = {"problem": ":material/report:", "warning": ":material/warning:", "info": ":material/info:"}
    for finding in found:
        with st.expander(plain(finding.message), icon=icons[finding.severity]):
            if finding.rows:
                rows = prepared.frame.iloc[list(finding.rows)]
                st.dataframe(rows, width="stretch", column_config=dates_as_written(rows))
            else:
                st.caption("No single rows to show.")


def ensure_prepared() -> state.Prepared | None:
    """The prepared table, reading the current file if the Data page was skipped (samples)."""
    dataset = state.dataset()
    if dataset is None:
        return None
    table = current_table()
    return prepared_for(table, dataset) if table is not None else None


def require_prepared() -> state.Prepared:
    """The prepared table, or a pointer to the Data page and the end of this page's run."""
    prepared = ensure_prepared()
    if prepared is None:
        st.info("Load data first: a sample or your own file.")
        st.page_link(navigation.DATA, label="Go to the Data page", icon=":material/arrow_forward:")
        st.stop()
    return prepared
