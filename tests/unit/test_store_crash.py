"""A process killed with SIGKILL in the middle of saving leaves the saved-analyses file consistent:
SQLite's write-ahead log commits a save whole or not at all. A writer saves in a loop (as the
server's autosave does on every run) and is killed at varied moments, three times over the same
file; afterwards every listed analysis reopens, nothing half-written appears, and the file
passes SQLite's integrity check."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from payoff.carry import serial
from payoff.carry.store import Store
from tests.helpers import sample_analysis

WRITER = """
import sys
from pathlib import Path
from payoff.carry import serial
from payoff.carry.store import Store
store = Store(Path(sys.argv[1]))
analysis = serial.from_bytes(Path(sys.argv[2]).read_bytes())
summary = {"headline": {"text": "x"}, "models": []}
print("ready", flush=True)
i = 0
while True:
    store.save(f"run {i}", analysis, summary)
    i += 1
"""


def test_sigkill_during_saves_leaves_every_committed_analysis_whole(tmp_path: Path):
    analysis = sample_analysis("retail_sales", "perishable")
    content = tmp_path / "analysis.bytes"
    content.write_bytes(serial.to_bytes(analysis))
    database = tmp_path / "analyses.sqlite"
    before = 0
    for delay in (0.3, 0.7, 1.1):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(database), str(content)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(delay)  # mid-save at some moment: each save takes a few milliseconds
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        assert writer.returncode == -signal.SIGKILL
        saved = Store(database).list()
        assert len(saved) > before  # it was writing when killed
        before = len(saved)
    with sqlite3.connect(database) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        rows = connection.execute("select count(*) from analyses").fetchone()[0]
    store = Store(database)
    saved = store.list()
    assert len(saved) == rows  # nothing half-written is hidden or shown
    gain = analysis.impact.recommended.gain
    for entry in saved:
        assert store.open(entry.id).impact.recommended.gain == gain  # every committed one reopens whole
