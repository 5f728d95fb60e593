"""The bad-input corpus for links and owners (issue 18): a team's saved-analyses file (two users,
one analysis shared, one from before owners existed), and the links that must open nothing: a
forged token, another user's token (named and autosaved), a token from a file since replaced, an
old link by number and text that is no link. Each case says the one line it gives, through the
library (tests/unit/test_owners.py), the command line (same) and the app
(tests/app/test_owners_app.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from payoff.carry.store import Store
from tests.corpus.carry_cases import BY_NUMBER, FORGED_TOKEN, NO_SUCH_TOKEN, NOT_A_LINK
from tests.corpus.saved_cases import quantity_analysis, targeting_analysis

ALICE = "alice@example.com"
BOB = "bob@example.com"


@dataclass(frozen=True)
class Team:
    """Ids and tokens of what `team_file` saved."""

    alice: tuple[int, str]  # named, not shared
    alice_shared: tuple[int, str]
    alice_autosave: tuple[int, str]
    bob: tuple[int, str]
    before_owners: tuple[int, str]  # saved in single-user mode: no owner


def _saved(store: Store, name: str, autosave: bool = False) -> tuple[int, str]:
    analysis = quantity_analysis()
    analysis_id = store.save(name, analysis, {"narrative": name}, autosave=autosave)
    return analysis_id, store.get(analysis_id).token


def team_file(path: Path) -> Team:
    """A saved-analyses file as a team leaves it."""
    before = _saved(Store(path), "from single-user days")
    alice, bob = Store(path, user=ALICE), Store(path, user=BOB)
    team = Team(
        alice=_saved(alice, "alice's own"),
        alice_shared=_saved(alice, "alice's, for the team"),
        alice_autosave=_saved(alice, "alice's unsaved run", autosave=True),
        bob=_saved(bob, "bob's own"),
        before_owners=before,
    )
    alice.share(team.alice_shared[0], True)
    return team


def replaced_file(path: Path) -> str:
    """The token of an analysis in the file at `path`, which is then replaced by another file
    (the wrong backup restored, a new server) whose ids start again at 1: there the token must
    open nothing, and above all not the new file's analysis 1."""
    token = _saved(Store(path), "in the old file")[1]
    for old in path.parent.glob(path.name + "*"):  # the file, and its -wal and -shm
        old.unlink()
    Store(path).save("in the new file", targeting_analysis(), {"narrative": "new"})
    return token


def team_link(pick: Callable[[Team], str]) -> Callable[[Path], tuple[Path, str]]:
    def make(folder: Path) -> tuple[Path, str]:
        path = folder / "team.sqlite"
        return path, pick(team_file(path))

    return make


def replaced_link(folder: Path) -> tuple[Path, str]:
    path = folder / "replaced.sqlite"
    return path, replaced_file(path)


@dataclass(frozen=True)
class Link:
    """A link followed by `user` (None: single-user mode); `make` builds its file in a folder and
    gives (the file, the ?analysis= value); `says` is its one line ({} is the value)."""

    name: str
    user: str | None
    make: Callable[[Path], tuple[Path, str]]
    says: str


LINKS = (
    Link("forged token", BOB, team_link(lambda team: FORGED_TOKEN), NO_SUCH_TOKEN),
    Link("another user's analysis", BOB, team_link(lambda team: team.alice[1]), NO_SUCH_TOKEN),
    Link("another user's autosave", BOB, team_link(lambda team: team.alice_autosave[1]), NO_SUCH_TOKEN),
    Link("one from before owners, multi-user", BOB, team_link(lambda team: team.before_owners[1]), NO_SUCH_TOKEN),
    Link("a token from a replaced file", None, replaced_link, NO_SUCH_TOKEN),
    Link("an old link by number", ALICE, team_link(lambda team: str(team.alice[0])), BY_NUMBER),
    Link("no link at all", BOB, team_link(lambda team: "javascript:alert(1)"), NOT_A_LINK),
)
