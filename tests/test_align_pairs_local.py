"""`translate align --pairs PAIRS.tsv` on one machine: every pair as `translate align FR EN` aligns it alone,
one bad pair reported without stopping the others, a rerun skipping the pairs already done."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from support import run_cli

FRENCH = ("Le conseil municipal s’est réuni mardi soir. Il a voté le budget de l’année prochaine.\n\n"
          "Les travaux de la gare commenceront en mars. Ils dureront deux ans.\n")
ENGLISH = ("The town council met on Tuesday evening. It passed next year's budget.\n\n"
           "Work on the station will begin in March. It will last two years.\n")
FRENCH_2 = "La bibliothèque ouvrira le dimanche. Les horaires seront affichés à l’entrée.\n"
ENGLISH_2 = "The library will open on Sundays. The opening hours will be posted at the entrance.\n"
DATES = re.compile(r'(creationdate|changedate|date)="[^"]*"')


def _folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in (("conseil.fr.txt", FRENCH), ("conseil.en.txt", ENGLISH), ("biblio.fr.txt", FRENCH_2),
                       ("biblio.en.txt", ENGLISH_2)):
        (docs / name).write_text(text, encoding="utf-8")
    listing = tmp_path / "pairs.tsv"
    listing.write_text("# two pairs\ndocs/conseil.fr.txt\tdocs/conseil.en.txt\ndocs/biblio.fr.txt\tdocs/biblio.en.txt\n",
                       encoding="utf-8")
    return listing


def test_each_pair_gets_the_files_aligning_it_alone_gives(tmp_path: Path) -> None:
    listing = _folder(tmp_path)
    common = ("--formats", "tsv,tmx,jsonl,report", "--mt-assist", "off")
    together = run_cli("align", "--pairs", str(listing), "-o", str(tmp_path / "together"), *common)
    assert together.returncode == 0, together.stderr
    assert "2 of 2 pairs aligned in" in together.stderr
    for stem in ("conseil", "biblio"):
        alone = run_cli("align", str(tmp_path / "docs" / f"{stem}.fr.txt"), str(tmp_path / "docs" / f"{stem}.en.txt"),
                        "-o", str(tmp_path / "alone"), *common)
        assert alone.returncode == 0, alone.stderr
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "together").iterdir()) and len(names) == 8
    for name in names:
        a = (tmp_path / "alone" / name).read_text(encoding="utf-8")
        b = (tmp_path / "together" / name).read_text(encoding="utf-8")
        assert DATES.sub("", a) == DATES.sub("", b), name


def test_a_bad_pair_is_one_line_the_others_are_aligned_and_a_rerun_resumes(tmp_path: Path) -> None:
    listing = _folder(tmp_path)
    (tmp_path / "docs" / "twice.fr.txt").write_text(FRENCH, encoding="utf-8")
    listing.write_text(listing.read_text(encoding="utf-8") + "docs/twice.fr.txt\tdocs/twice.fr.txt\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ("align", "--pairs", str(listing), "-o", str(out), "--formats", "tsv", "--mt-assist", "off")
    first = run_cli(*args)
    assert first.returncode == 2  # the worst pair's code: refused as input
    assert [line for line in first.stderr.splitlines() if line.startswith("error:")] == [
        f"error: {tmp_path / 'docs' / 'twice.fr.txt'} looks like French, not English; use --force to align it anyway"]
    assert "2 of 3 pairs aligned in" in first.stderr
    assert sorted(p.name for p in out.iterdir()) == ["biblio.fr-en.tsv", "conseil.fr-en.tsv"]
    forced = run_cli(*args, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "resuming: 2 of 3 pairs already have all their outputs; skipped" in forced.stderr
    assert "1 of 3 pairs aligned in" in forced.stderr and (out / "twice.fr-en.tsv").is_file()
    redo = run_cli(*args, "--force", "--overwrite")
    assert redo.returncode == 0 and "3 of 3 pairs aligned in" in redo.stderr and "resuming" not in redo.stderr


def test_pairs_and_two_files_together_are_refused(tmp_path: Path) -> None:
    listing = _folder(tmp_path)
    docs = tmp_path / "docs"
    result = run_cli("align", str(docs / "conseil.fr.txt"), str(docs / "conseil.en.txt"), "--pairs", str(listing))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: give either FRENCH ENGLISH or --pairs, not both"


def test_a_missing_file_in_the_listing_is_one_line_before_any_work(tmp_path: Path) -> None:
    listing = _folder(tmp_path)
    listing.write_text(listing.read_text(encoding="utf-8") + "docs/absent.fr.txt\tdocs/biblio.en.txt\n", encoding="utf-8")
    result = run_cli("align", "--pairs", str(listing), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {listing}:4: no such file: {tmp_path / 'docs' / 'absent.fr.txt'}"
    assert not (tmp_path / "out").exists()


def test_a_fresh_embedder_shares_the_weights_not_the_cache() -> None:
    from translate.embed import UseEmbedder

    first = UseEmbedder()
    vectors = first(["Le conseil s’est réuni.", "The council met."])
    second = first.fresh()
    assert second._model is first._model
    assert not (second._cache or second._pooled_cache) and (first._cache or first._pooled_cache)
    assert np.allclose(second(["Le conseil s’est réuni.", "The council met."]), vectors)
