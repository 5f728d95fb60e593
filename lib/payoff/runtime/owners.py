"""Who owns a saved analysis, and how Payoff learns who is asking.

Two settings say who a user is, one for each front end:

- ``PAYOFF_USER_HEADER`` (the app): the name of a request header that a sign-in proxy in front
  of Payoff sets to the signed-in user (``X-Forwarded-User``, ``X-Auth-Request-Email`` ...). The
  proxy must set it on every request and drop any copy a browser sends; then each user sees their
  own analyses and those shared with the team. The app can also take the user from Streamlit's
  own sign-in (``st.login``, configured in ``.streamlit/secrets.toml``). With neither, the server
  is in single-user mode: whoever reaches it sees everything (docs/operations.md).
- ``PAYOFF_USER`` (the command line): the user the CLI acts as. Unset, the CLI is whoever runs
  the server, who can read the database file anyway: it sees and manages every analysis, and
  what it saves has no owner (as in single-user mode).

A user's name is text given by the proxy or the identity provider; it is stored as given (never
rendered as HTML, and every SQL statement takes it as a parameter) once it passes
:func:`clean_user`. Both settings are read in payoff.runtime.settings."""

from __future__ import annotations

from payoff.errors import PayoffError

LONGEST_NAME = 256


class UnknownUser(PayoffError):
    kind = "unknown_user"


def clean_user(value: str | None, source: str) -> str | None:
    """A user's name as given, without surrounding spaces; None when there is none. A name that
    no proxy would send (control characters, longer than 256 characters) is refused, naming
    `source` (the header or the variable), so that whoever runs Payoff can fix the setting."""
    if value is None:
        return None
    name = value.strip()
    if not name:
        return None
    if len(name) > LONGEST_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UnknownUser(
            f"The user name in {source} is not one Payoff can use (longer than {LONGEST_NAME} characters or "
            "holding control characters). Whoever runs Payoff can check what the sign-in proxy sends."
        )
    return name
