"""Each saved analysis belongs to the user who saved it (issue 18): a user sees, opens, renames and
deletes their own and the team's shared ones, never another's, by number or by token; links carry
unguessable tokens that open the same analysis in a restored backup and nothing in another file;
autosaves are pruned per user; a schema-2 file is migrated with a token per row and no owner. The
link corpus (tests/corpus/owner_cases.py) through the library and the command line."""

import json
import sqlite3

import pytest

from payoff.carry.store import SCHEMA_VERSION, BadLink, Store, StoreError, UnknownAnalysis, link_token
from payoff.cli.main import main
from payoff.runtime.owners import UnknownUser, clean_user
from tests.corpus.carry_cases import LINK_CASES, NO_SUCH_TOKEN
from tests.corpus.owner_cases import ALICE, BOB, LINKS, replaced_file, team_file
from tests.corpus.saved_cases import quantity_analysis


@pytest.fixture
def team(tmp_path):
    path = tmp_path / "team.sqlite"
    return path, team_file(path)


def ids(store: Store) -> list[int]:
    return [s.id for s in store.list()]


def test_each_user_sees_their_own_and_the_shared_ones(team):
    path, team = team
    assert ids(Store(path, user=ALICE)) == [team.alice_shared[0], team.alice[0]]
    assert ids(Store(path, user=BOB)) == [team.bob[0], team.alice_shared[0]]
    assert ids(Store(path, user="carol")) == [team.alice_shared[0]]
    everything = Store(path).list()  # single-user mode, and the command line without PAYOFF_USER
    assert [(s.id, s.owner, s.shared) for s in everything] == [
        (team.bob[0], BOB, False),
        (team.alice_shared[0], ALICE, True),
        (team.alice[0], ALICE, False),
        (team.before_owners[0], None, False),
    ]
    assert Store(path, user=ALICE).get(team.alice_autosave[0]).autosave  # one's own autosave opens by id


@pytest.mark.parametrize("by", ["id", "token"])
def test_another_users_analysis_is_unknown_to_every_action(team, by):
    path, team = team
    bob = Store(path, user=BOB)
    for analysis_id, token in (team.alice, team.alice_autosave, team.before_owners):
        ref = analysis_id if by == "id" else token
        says = f"There is no saved analysis {analysis_id}; 'payoff saved' lists them." if by == "id" else NO_SUCH_TOKEN
        for action in (
            bob.get,
            bob.open,
            bob.delete,
            lambda r: bob.rename(r, "mine now"),
            lambda r: bob.share(r, True),
        ):
            with pytest.raises(UnknownAnalysis) as caught:
                action(ref)
            assert str(caught.value) == says
    assert [s.name for s in Store(path).list()] == [
        "bob's own",
        "alice's, for the team",
        "alice's own",
        "from single-user days",
    ]


def test_the_team_manages_a_shared_analysis_and_only_its_owner_unshares_it(team):
    path, team = team
    bob = Store(path, user=BOB)
    shared_id, token = team.alice_shared
    assert bob.open(token).impact.recommended.gain == quantity_analysis().impact.recommended.gain
    bob.rename(shared_id, "renamed by bob")
    with pytest.raises(StoreError, match=f"^Only {ALICE} can change whether 'renamed by bob' is shared.$"):
        bob.share(shared_id, False)
    Store(path, user=ALICE).share(shared_id, False)
    assert ids(bob) == [team.bob[0]]
    with pytest.raises(StoreError, match="is not saved under a name yet"):
        Store(path, user=ALICE).share(team.alice_autosave[0], True)
    Store(path).share(team.before_owners[0], True)  # whoever runs Payoff shares what has no owner
    assert ids(bob) == [team.bob[0], team.before_owners[0]]
    Store(path, user=BOB).delete(team.before_owners[0])
    assert ids(Store(path, user=ALICE)) == [team.alice_shared[0], team.alice[0]]


def test_autosaves_are_pruned_per_user(tmp_path, monkeypatch):
    monkeypatch.setattr("payoff.carry.store.KEEP_AUTOSAVES", 3)
    path = tmp_path / "a.sqlite"
    bob = Store(path, user=BOB).save("bob's run", quantity_analysis(), {}, autosave=True)
    alice = [Store(path, user=ALICE).save("run", quantity_analysis(), {}, autosave=True) for _ in range(5)]
    kept = [a for a in alice if _exists(path, a)]
    assert kept == alice[2:] and _exists(path, bob)  # 55 other runs used to push anyone's out after 50


def _exists(path, analysis_id) -> bool:
    try:
        Store(path).get(analysis_id)
    except UnknownAnalysis:
        return False
    return True


def test_tokens_are_random_and_a_link_survives_a_restored_backup(tmp_path):
    path = tmp_path / "a.sqlite"
    store = Store(path)
    first, second = (store.save(n, quantity_analysis(), {}) for n in ("first", "second"))
    tokens = [store.get(i).token for i in (first, second)]
    assert all(len(t) == 32 and int(t, 16) >= 0 for t in tokens) and tokens[0] != tokens[1]
    backup = tmp_path / "backup.sqlite"
    with sqlite3.connect(path) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    assert Store(backup).get(tokens[1]).name == "second"


def test_a_token_from_a_replaced_file_opens_nothing_there(tmp_path):
    path = tmp_path / "a.sqlite"
    token = replaced_file(path)
    with pytest.raises(UnknownAnalysis) as caught:
        Store(path).open(token)
    assert str(caught.value) == NO_SUCH_TOKEN
    assert Store(path).get(1).name == "in the new file"  # the number the old link named is another analysis


@pytest.mark.parametrize(("raw", "says"), LINK_CASES, ids=[c[0][:12] for c in LINK_CASES])
def test_what_a_link_carries_is_checked_before_any_lookup(raw, says, tmp_path):
    with pytest.raises((BadLink, UnknownAnalysis)) as caught:
        Store(tmp_path / "a.sqlite").open(link_token(raw))
    assert str(caught.value) == says


@pytest.mark.parametrize("case", LINKS, ids=lambda c: c.name)
def test_a_link_that_must_open_nothing_says_one_line(case, tmp_path):
    path, raw = case.make(tmp_path)
    with pytest.raises(StoreError) as caught:
        Store(path, user=case.user).open(link_token(raw))
    assert str(caught.value) == case.says.format(raw)


def _schema_2(path):
    with sqlite3.connect(path) as connection:
        connection.execute(
            "create table analyses (id integer primary key autoincrement, name text not null, saved_at text not null,"
            " dataset text not null, framing text not null, headline text not null default '', summary text not null,"
            " analysis blob, autosave integer not null default 0)"
        )
        for name, autosave in (("kept", 0), ("a run", 1), ("deleted", 0)):
            connection.execute(
                "insert into analyses (name, saved_at, dataset, framing, summary, analysis, autosave) "
                "values (?, '2026-01-01T00:00:00+00:00', 'x.csv', 'churn', ?, null, ?)",
                (name, json.dumps({"narrative": name}), autosave),
            )
        connection.execute("delete from analyses where name = 'deleted'")
        connection.execute("pragma user_version = 2")


def test_a_schema_2_file_gets_a_token_per_row_and_no_owner(tmp_path):
    path = tmp_path / "v2.sqlite"
    _schema_2(path)
    everything = Store(path)
    [kept] = everything.list()
    run = everything.get(2)
    assert (kept.id, kept.name, kept.owner, kept.shared) == (1, "kept", None, False)
    assert run.autosave and len({kept.token, run.token}) == 2 and all(len(t) == 32 for t in (kept.token, run.token))
    assert Store(path, user=ALICE).list() == []  # in multi-user mode, nobody's until shared
    assert everything.save("new", quantity_analysis(), {}) == 4  # the deleted 3 is never given again
    with sqlite3.connect(path) as connection:
        assert connection.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("  ", None), (" alice@example.com ", "alice@example.com"), ("Zoë Ng", "Zoë Ng")],
)
def test_a_user_name_is_kept_as_given(value, expected):
    assert clean_user(value, "the X-User header") == expected


@pytest.mark.parametrize("value", ["alice\nbob", "a\x00", "x" * 257])
def test_a_user_name_no_proxy_sends_is_refused(value):
    with pytest.raises(UnknownUser, match=r"^The user name in the X-User header is not one Payoff can use"):
        clean_user(value, "the X-User header")


# --- the command line ------------------------------------------------------------------------------


def cli(capsys, argv, monkeypatch, path, user=None):
    monkeypatch.setenv("PAYOFF_DB", str(path))
    if user is None:
        monkeypatch.delenv("PAYOFF_USER", raising=False)
    else:
        monkeypatch.setenv("PAYOFF_USER", user)
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", [c for c in LINKS if c.says == NO_SUCH_TOKEN], ids=lambda c: c.name)
def test_a_token_the_cli_user_may_not_open_exits_2_with_one_line(case, tmp_path, monkeypatch, capsys):
    path, raw = case.make(tmp_path)
    for argv in (["saved", "show", raw], ["report", "--saved", raw, "--out", str(tmp_path / "r.html")]):
        code, out, err = cli(capsys, argv, monkeypatch, path, case.user)
        assert (code, out, err) == (2, "", f"payoff: {NO_SUCH_TOKEN}\n")
    assert not (tmp_path / "r.html").exists()


def test_the_cli_acts_as_payoff_user_or_as_whoever_runs_payoff(team, monkeypatch, capsys):
    path, team = team
    code, out, _ = cli(capsys, ["saved"], monkeypatch, path, BOB)
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == [str(team.bob[0]), str(team.alice_shared[0])]
    assert f"[{ALICE}, shared]" in out and f"[{BOB}]" in out
    code, _, err = cli(capsys, ["saved", "show", str(team.alice[0])], monkeypatch, path, BOB)
    assert (code, err) == (2, f"payoff: There is no saved analysis {team.alice[0]}; 'payoff saved' lists them.\n")
    code, out, _ = cli(capsys, ["saved", "show", team.alice[1]], monkeypatch, path)  # the operator sees all
    assert code == 0 and out.startswith("alice's own (custom-quantity on small.csv") and team.alice[1] in out
    assert len(cli(capsys, ["saved"], monkeypatch, path)[1].splitlines()) == 4
    code, out, _ = cli(capsys, ["saved", "share", str(team.before_owners[0])], monkeypatch, path)
    assert (code, out) == (0, f"{team.before_owners[0]} is shared with the team\n")
    assert team.before_owners[0] in ids(Store(path, user=BOB))


def test_a_cli_save_as_payoff_user_is_that_users(tmp_path, monkeypatch, capsys):
    from tests.corpus.cases import content

    (tmp_path / "k.csv").write_bytes(content("blank_key.csv"))
    argv = ["analyze", str(tmp_path / "k.csv"), "--framing", "custom-quantity", "--set", "under=2", "--set", "over=1"]
    argv += ["--models", "naive", "--horizon", "3", "--origins", "2", "--save", "alice's run"]
    assert cli(capsys, argv, monkeypatch, tmp_path / "a.sqlite", ALICE)[0] == 0
    [saved] = Store(tmp_path / "a.sqlite").list()
    assert (saved.name, saved.owner) == ("alice's run", ALICE) and ids(Store(tmp_path / "a.sqlite", user=BOB)) == []


def test_an_analysis_named_by_neither_number_nor_token(tmp_path, monkeypatch, capsys):
    code, _, err = cli(capsys, ["saved", "show", "seven"], monkeypatch, tmp_path / "a.sqlite")
    assert (code, err) == (
        2,
        "payoff: 'seven' names no saved analysis: give its number ('payoff saved' lists them) or the token its link "
        "ends with.\n",
    )
