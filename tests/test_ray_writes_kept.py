"""What a Ray file actor does when it places a document's outputs (translate/distributed/work.py), without
starting Ray: a retried batch accepts the outputs its dead attempt placed; a file that appeared from
elsewhere during the run is kept and reported, as in a run without Ray; `--overwrite` replaces."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from support import FakeEngine
from translate.distributed.work import FileJob, segment_text, write_document
from translate.errors import UserError
from translate.formats import WriteOptions
from translate.job import FileOptions, output_paths
from translate.pipeline import EngineStage

WRITE = WriteOptions(created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))


def translated(name: str = "note.fr.txt"):
    document = segment_text("Le maire a parlé hier. Il reviendra lundi.\n", name)
    EngineStage(FakeEngine())(document)
    return document


def job(tmp_path: Path, overwrite: bool = False) -> FileJob:
    return FileJob(FileOptions(output_dir=tmp_path / "out", formats=("txt", "tsv", "tmx"), write=WRITE,
                               overwrite=overwrite))


def test_a_retried_batch_accepts_the_outputs_its_dead_attempt_placed(tmp_path: Path) -> None:
    source = tmp_path / "note.fr.txt"
    (tmp_path / "out").mkdir()
    write_document(translated(), source, job(tmp_path))
    first = {p: p.read_bytes() for p in output_paths(source, job(tmp_path).options).values()}
    write_document(translated(), source, job(tmp_path))  # the retry: same run, same bytes, no error
    assert {p: p.read_bytes() for p in first} == first


def test_a_file_that_appeared_during_the_run_is_kept_and_reported(tmp_path: Path) -> None:
    source = tmp_path / "note.fr.txt"
    (tmp_path / "out").mkdir()
    targets = output_paths(source, job(tmp_path).options)
    targets["tsv"].write_text("someone else's table\n", encoding="utf-8")
    with pytest.raises(UserError, match="appeared while this run was working"):
        write_document(translated(), source, job(tmp_path))
    assert targets["tsv"].read_text(encoding="utf-8") == "someone else's table\n"
    assert not targets["txt"].exists() and not targets["tmx"].exists()  # all or nothing
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [targets["tsv"].name]  # no temporaries left

    write_document(translated(), source, job(tmp_path, overwrite=True))
    assert targets["tsv"].read_text(encoding="utf-8").startswith("fr\ten")
