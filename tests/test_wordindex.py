"""The word-list index: same answers as the lists in memory, built once, rebuilt when a list changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from translate import leftover, wordindex
from translate.document import Segment
from translate.leftover import WordLists, foreign_words, is_english, load_word_lists

LISTS = {
    "american-english": ["stop", "talk", "Kazakh", "colour", "beta", "installer's"],
    "british-english": ["colour", "organise"],
    "american-english-large": ["connectivity", "installer", "abri"],
    "british-english-large": ["homologous"],
    "french": ["contrer", "abri", "installer", "gouvernance", "Élysée"],
    "spanish": ["apego", "frecuentado", "abri"],
}
WORDS = ["stop", "Stop", "STOP", "stopped", "talks", "Kazakh", "kazakh", "KAZAKH", "colour", "organised",
         "connectivity", "installer", "abri", "homologous", "contrer", "gouvernance", "élysée", "Élysée", "apego",
         "frecuentado", "bêta", "installer's", "zzz", "", "colour-stop"]


def write_lists(directory: Path, lists: dict[str, list[str]] = LISTS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, words in lists.items():
        (directory / name).write_text("\n".join(words) + "\n", encoding="utf-8")
    return directory


def answers(lists: WordLists) -> list[tuple]:
    return [(w, is_english(w, lists), *(w.casefold() in getattr(lists, name) for name in wordindex.SETS))
            for w in WORDS]


def test_the_index_answers_like_the_lists_in_memory(tmp_path: Path) -> None:
    directory = write_lists(tmp_path / "dict")
    memory, warnings = load_word_lists(directory)
    built, built_warnings = load_word_lists(directory, tmp_path / "index")  # reads the lists, writes the index
    indexed, indexed_warnings = load_word_lists(directory, tmp_path / "index")  # reads the index only
    assert isinstance(indexed.english, wordindex.IndexedSet) and isinstance(memory.english, frozenset)
    assert answers(memory) == answers(built) == answers(indexed)
    assert warnings == built_warnings == indexed_warnings == []
    assert [p.name for p in (tmp_path / "index").iterdir()] == [wordindex.index_name(directory, leftover.ALL_LISTS)]


def test_findings_on_the_real_lists_are_the_same_through_the_index(wordlist_index_dir: Path) -> None:
    if not (leftover.DICT_DIR / "american-english").is_file():
        pytest.skip("wamerican is not installed")
    memory, _ = load_word_lists()
    indexed, _ = load_word_lists(index_dir=wordlist_index_dir)
    indexed, _ = load_word_lists(index_dir=wordlist_index_dir)  # the second call opens what the first wrote
    assert isinstance(indexed.french, wordindex.IndexedSet)
    segments = [
        Segment(id=1, paragraph=1, source="Mme Dupont a contré la gouvernance.", target="Sra Dupont contrer the gouvernance."),
        Segment(id=2, paragraph=1, source="L'attachement au sol.", target="The apego to the frecuentado ground, stopped."),
        Segment(id=3, paragraph=1, source="Lancez l'installer de dpkg.", target="Launch the installer of dpkg, Kazakh."),
    ]
    for segment in segments:
        assert foreign_words(segment, indexed) == foreign_words(segment, memory)
    assert foreign_words(segments[1], indexed)  # the check still finds something


def test_a_second_load_reads_no_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = write_lists(tmp_path / "dict")
    load_word_lists(directory, tmp_path / "index")

    def no_reading(path: Path) -> list[str]:
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(leftover, "_read_words", no_reading)
    lists, _ = load_word_lists(directory, tmp_path / "index")
    assert is_english("talks", lists) and not is_english("contrer", lists) and "contrer" in lists.french


def test_a_changed_list_builds_a_new_index_and_drops_the_old(tmp_path: Path) -> None:
    directory = write_lists(tmp_path / "dict")
    first, _ = load_word_lists(directory, tmp_path / "index")
    assert not is_english("gouvernance", first)
    (directory / "american-english").write_text("stop\ngouvernance\n", encoding="utf-8")
    os.utime(directory / "american-english", ns=(1, 1))  # a different size and time, as an upgrade gives
    load_word_lists(directory, tmp_path / "index")
    second, _ = load_word_lists(directory, tmp_path / "index")
    assert is_english("gouvernance", second) and not is_english("talk", second)
    assert len(list((tmp_path / "index").iterdir())) == 1


def test_unwritable_or_damaged_index_falls_back_to_the_lists(tmp_path: Path) -> None:
    directory = write_lists(tmp_path / "dict")
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the index directory should be", encoding="utf-8")
    lists, warnings = load_word_lists(directory, blocked)
    assert isinstance(lists.english, frozenset) and warnings == []
    damaged = tmp_path / "index"
    damaged.mkdir()
    path = damaged / wordindex.index_name(directory, leftover.ALL_LISTS)
    path.write_bytes(b"not sqlite at all" * 100)
    memory, _ = load_word_lists(directory)
    assert answers(load_word_lists(directory, damaged)[0]) == answers(memory)  # rebuilt over the damaged file
    assert isinstance(load_word_lists(directory, damaged)[0].english, wordindex.IndexedSet)


def test_a_build_killed_midway_leaves_no_temporary_behind_the_next_build(tmp_path: Path) -> None:
    directory = write_lists(tmp_path / "dict")
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    name = wordindex.index_name(directory, leftover.ALL_LISTS)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = index_dir / f".{name}.translate-{int(dead.stdout)}-abcd1234.part"
    stale.write_bytes(b"half an index")
    load_word_lists(directory, index_dir)
    assert sorted(p.name for p in index_dir.iterdir()) == [name]


def test_no_english_list_still_warns_and_turns_the_check_off(tmp_path: Path) -> None:
    directory = write_lists(tmp_path / "dict", {"french": ["contrer"]})
    lists, warnings = load_word_lists(directory, tmp_path / "index")
    assert lists is None and "no English word list" in warnings[0]
    assert not (tmp_path / "index").exists()


def test_the_index_directory_follows_the_cache_directory(tmp_path: Path) -> None:
    env = {"TRANSLATE_CACHE_DIR": str(tmp_path / "c")}
    assert wordindex.default_index_dir(env) == tmp_path / "c" / "wordlists"
    assert wordindex.default_index_dir({**env, wordindex.INDEX_ENV: str(tmp_path / "w")}) == tmp_path / "w"


def test_a_run_builds_the_index_once_where_it_is_told(tmp_path: Path, synthetic_package: Path) -> None:
    from tests.support import run_cli

    directory = write_lists(tmp_path / "dict")
    article = tmp_path / "a.fr.txt"
    article.write_text("La gouvernance a parlé mardi.\n", encoding="utf-8")  # the copy model leaves it French
    env = {wordindex.INDEX_ENV: str(tmp_path / "index"), leftover.DICT_DIR_ENV: str(directory)}
    first = run_cli("run", str(article), "--model", str(synthetic_package), "-o", str(tmp_path / "one"), env=env)
    assert first.returncode == 0, first.stderr
    built = list((tmp_path / "index").iterdir())
    assert [p.name for p in built] == [wordindex.index_name(directory, leftover.ALL_LISTS)]
    stamp = built[0].stat().st_mtime_ns
    second = run_cli("run", str(article), "--model", str(synthetic_package), "-o", str(tmp_path / "two"), env=env)
    assert second.returncode == 0, second.stderr
    assert built[0].stat().st_mtime_ns == stamp  # opened, not written again
    findings = (tmp_path / "two" / "a.qa.tsv").read_text(encoding="utf-8")
    assert "'gouvernance' left in the English (French word)" in findings  # found through the index
    assert findings == (tmp_path / "one" / "a.qa.tsv").read_text(encoding="utf-8")
