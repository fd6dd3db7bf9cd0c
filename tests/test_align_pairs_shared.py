"""`align --pairs --ray` writes each pair exactly as `translate align FR EN` does (one shared writer): the
review page shows every bead with the run's threshold, whatever `--min-score` keeps in the TSV."""
from pathlib import Path

from support import run_cli

from translate.cli_align import align_write_options, pair_options
from translate.distributed.pairs import AlignJob, align_pair
from translate.embed import UseEmbedder

ROOT = Path(__file__).resolve().parent.parent


def test_a_pair_aligned_for_ray_gives_the_single_pair_files(tmp_path: Path):
    french = tmp_path / "sommet.fr.txt"
    english = tmp_path / "sommet.en.txt"
    french.write_text((ROOT / "examples" / "sommet-otsc.fr.txt").read_text(encoding="utf-8"), encoding="utf-8")
    english.write_text((ROOT / "examples" / "english" / "sommet-otsc.en.txt").read_text(encoding="utf-8"),
                       encoding="utf-8")
    single = tmp_path / "single"
    result = run_cli("align", str(french), str(english), "-o", str(single), "--formats", "tsv,html,report",
                     "--min-score", "0.9", "--mt-assist", "off", "-q")
    assert result.returncode == 0, result.stderr
    write = align_write_options("fr", "en", False, False)
    job = AlignJob(formats=("tsv", "html", "report"), output_dir=tmp_path / "ray", write=write,
                   options=pair_options(3, 0.9))
    (tmp_path / "ray").mkdir()  # run_pairs makes it when it checks the targets, before any pair
    align_pair(french, english, job, UseEmbedder())
    names = sorted(p.name for p in single.iterdir())
    assert names == sorted(p.name for p in (tmp_path / "ray").iterdir())
    for name in names:
        got = (tmp_path / "ray" / name).read_text(encoding="utf-8")
        want = (single / name).read_text(encoding="utf-8")
        if name.endswith(".html"):  # the page names its creation time
            import re
            stamp = re.compile(r"\d{4}-\d{2}-\d{2}[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?")
            got, want = stamp.sub("DATE", got), stamp.sub("DATE", want)
        assert got == want, name
