"""Which framing a file most likely asks about, from its columns' names: the question offered first
on the Problem page until the user picks one. A card-transactions file with a fraud flag opened on
"Which customers to call to stop churn" (the first framing for a table of rows), and a clinic's
call log on stock; the user could change it, but the first screen said the wrong thing."""

from __future__ import annotations

import re
from collections.abc import Iterable

from payoff.data.roles import Shape, snake_name
from payoff.framings.base import Framing
from payoff.framings.catalogue import FRAMINGS, for_shape

# Words of the outcome (or of what the business decides) that name the question, most telling first.
_WORDS = (
    ("fraud", re.compile(r"fraud|charge_?back|scam|suspicious", re.I)),
    ("credit", re.compile(r"(^|_)loan|default|delinquen|repaid|paid_?back|charged_?off|write_?off|bad_?loan", re.I)),
    ("churn", re.compile(r"churn|cancel|attrition|(^|_)left(_|$)|leav|renew|retain|status", re.I)),
    ("leads", re.compile(r"lead|convert|subscri|purchas|respon|deposit|(^|_)won(_|$)|bought|signed", re.I)),
    (
        "staffing",
        re.compile(r"calls|contacts|tickets|patients|arrivals|requests|on_?shift|staff|agents|receptionist", re.I),
    ),
)


def suggested_framing(shape: Shape, names: Iterable[str | None]) -> Framing:
    """The first framing of this shape whose words one of `names` (the outcome first, then what
    the business decides) carries, else the shape's first framing."""
    fitting = for_shape(shape)
    said = [snake_name(name) for name in names if name]
    for key, words in _WORDS:
        framing = FRAMINGS[key]
        if framing in fitting and any(words.search(name) for name in said):
            return framing
    return fitting[0]
