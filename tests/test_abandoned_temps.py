"""A finished distributed run removes the temporaries a killed worker left for its outputs, and only those."""
from pathlib import Path

from translate.outputs import remove_abandoned_temps


def test_temporaries_of_this_runs_outputs_are_removed_whatever_their_pid(tmp_path: Path):
    final = tmp_path / "article05.en.txt"
    final.write_text("done\n", encoding="utf-8")
    mine = tmp_path / ".article05.en.txt.translate-1-abcd1234.part"  # PID 1 is alive: the PID rule would keep it
    other = tmp_path / ".article06.en.txt.translate-1-abcd1234.part"  # not an output of this run
    foreign = tmp_path / ".article05.en.txt.part"  # not our pattern
    for path in (mine, other, foreign):
        path.write_text("half", encoding="utf-8")
    assert remove_abandoned_temps([final]) == 1
    assert not mine.exists()
    assert other.exists() and foreign.exists() and final.exists()


def test_a_missing_directory_is_not_an_error(tmp_path: Path):
    assert remove_abandoned_temps([tmp_path / "gone" / "x.en.txt"]) == 0
