"""Markdown and subtitle round trips a reviser can trust, through the real command: an escaped pipe in a
Markdown table cell, speaker dashes in dialogue cues, subtitles named with the other format's suffix,
spacing around inline code next to punctuation."""

from __future__ import annotations

import io
import json
from pathlib import Path

from markdown_it import MarkdownIt

from support import need, run_cli


def _apertium() -> None:
    from translate.engines.apertium import apertium_status

    need(*apertium_status())


def _run(source: Path, *options: str) -> Path:
    """`translate run SOURCE -o out/ OPTIONS`: the output folder (the run must succeed)."""
    out = source.parent / "out"
    result = run_cli("run", str(source), "-o", str(out), "--no-cache", "-q", *options)
    assert result.returncode == 0, result.stderr
    return out


def _table_rows(text: str) -> list[list[str]]:
    """Each table row as its cells' inline source, as markdown-it-py (GFM tables) reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows and token.map is not None and any(
                t.type in ("th_open", "td_open") for t in tokens[tokens.index(token) - 1:tokens.index(token)]):
            rows[-1].append(token.content)
    return rows


# --- 1. an escaped pipe in a Markdown table cell ---------------------------------------------------------

TABLE = """# Tableau

| clé | valeur |
|-----|--------|
| statut | non \\| en cours |
| nom | le chat noir |
| animaux | le chat\\|le chien |
"""


def test_a_table_cell_with_an_escaped_pipe_is_translated_and_keeps_its_pipe(tmp_path: Path):
    _apertium()
    source = tmp_path / "tableau.fr.md"
    source.write_text(TABLE, encoding="utf-8")
    out = _run(source, "--engine", "apertium", "--no-default-glossary")
    english = (out / "tableau.en.md").read_text(encoding="utf-8")
    rows = _table_rows(english)
    assert [len(row) for row in rows] == [2, 2, 2, 2], english  # the same columns as the French table
    status = rows[1][1]
    assert "|" in status and "\\|" in english.splitlines()[4], english
    before, after = (side.strip() for side in status.split("|"))
    assert before and after and "non" not in status.split() and "en" not in status.split(), status  # translated
    animals = rows[3][1]
    assert animals.count("|") == 1 and "cat" in animals and "dog" in animals, animals
    qa = (out / "tableau.qa.tsv").read_text(encoding="utf-8")
    assert "code line" not in qa and "foreign-word" not in qa, qa  # not "le chatle chien" for the engine
    record = next(json.loads(line) for line in (out / "tableau.fr-en.jsonl").read_text().splitlines()
                  if "cours" in json.loads(line)["source"])
    assert record["translatable"] and record["origin"] == "apertium", record


def test_the_copy_model_gives_the_table_back_with_its_escaped_pipe(tmp_path: Path, synthetic_package: Path):
    source = tmp_path / "tableau.fr.md"
    source.write_text(TABLE, encoding="utf-8")
    out = _run(source, "--model", str(synthetic_package), "--no-default-glossary")
    assert (out / "tableau.en.md").read_text(encoding="utf-8") == TABLE


# --- 3. subtitles named with the other format's suffix ----------------------------------------------------

WEBVTT_TEXT = """WEBVTT

00:00:01.000 --> 00:00:03.000
Bonjour tout le monde.

00:00:04.000 --> 00:00:06.500
Le train part à huit heures.
"""
SRT_TEXT = """1
00:00:01,000 --> 00:00:03,000
Bonjour tout le monde.

2
00:00:04,000 --> 00:00:06,500
Le train part à huit heures.
"""


def _subtitle_run(tmp_path: Path, name: str, content: str, *options: str):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    result = run_cli("run", str(source), "-o", str(tmp_path / "out"), "--no-cache", "-q", *options)
    return source, result


def _format_of(path: Path) -> str:
    from pysubs2.formats import autodetect_format

    return autodetect_format(path.read_text(encoding="utf-8"))


def test_webvtt_named_srt_is_read_as_webvtt_with_a_one_line_warning(tmp_path: Path, synthetic_package: Path):
    """The copy model's English is the French: the file must come back as it was, WebVTT still."""
    source, result = _subtitle_run(tmp_path, "journal.fr.srt", WEBVTT_TEXT, "--model", str(synthetic_package),
                                   "--no-default-glossary")
    assert result.returncode == 0, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "WebVTT" in result.stderr and "journal.fr.vtt" in result.stderr, result.stderr
    english = tmp_path / "out" / "journal.en.srt"
    assert english.read_text(encoding="utf-8") == WEBVTT_TEXT
    assert _format_of(english) == "vtt"


def test_srt_named_vtt_is_read_as_srt_with_a_one_line_warning(tmp_path: Path, synthetic_package: Path):
    source, result = _subtitle_run(tmp_path, "journal.fr.vtt", SRT_TEXT, "--model", str(synthetic_package),
                                   "--no-default-glossary")
    assert result.returncode == 0, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "holds SRT" in result.stderr and "journal.fr.srt" in result.stderr, result.stderr
    english = tmp_path / "out" / "journal.en.vtt"
    assert english.read_text(encoding="utf-8") == SRT_TEXT
    assert _format_of(english) == "srt"


def test_misnamed_webvtt_is_translated_with_apertium_and_keeps_its_timings(tmp_path: Path):
    _apertium()
    import pysubs2

    source, result = _subtitle_run(tmp_path, "journal.fr.srt", WEBVTT_TEXT, "--engine", "apertium",
                                   "--no-default-glossary")
    assert result.returncode == 0, result.stderr
    english = pysubs2.SSAFile.from_string((tmp_path / "out" / "journal.en.srt").read_text(encoding="utf-8"))
    assert [(e.start, e.end) for e in english] == [(1000, 3000), (4000, 6500)]
    assert "train" in english[1].text and "heures" not in english[1].text, english[1].text


def test_a_srt_file_holding_neither_format_is_still_refused_in_one_line(tmp_path: Path):
    source, result = _subtitle_run(tmp_path, "notes.fr.vtt", "Bonjour.\n", "--engine", "apertium")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "vtt" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.fr.vtt"]


# --- 2. speaker dashes in dialogue cues -----------------------------------------------------------------

DIALOGUE = """1
00:00:01,000 --> 00:00:03,000
- C'est une maison blanche
- Blanche et grande.

2
00:00:04,000 --> 00:00:06,000
- Qu'est-ce que tu veux
- Rien du tout.

3
00:00:07,000 --> 00:00:09,000
<i>- Tu viens ?</i>
<i>- Non.</i>

4
00:00:10,000 --> 00:00:12,000
- Tu viens avec nous
demain soir ?
- Non.

5
00:00:13,000 --> 00:00:15,000
Tu viens ?
- Non, je reste.
"""
"""Two speakers in one cue; in the first two the first speaker's line has no final punctuation, so the
French read as one sentence, and Apertium's reordering ("maison blanche" → "white house") carried a word
of the first speaker after the second speaker's dash."""


def _cue_lines(path: Path) -> list[list[str]]:
    import pysubs2

    return [event.text.split("\\N") for event in pysubs2.SSAFile.from_string(path.read_text(encoding="utf-8"))]


def test_each_speaker_keeps_the_dash_at_the_start_of_their_own_line(tmp_path: Path):
    _apertium()
    source = tmp_path / "dialogue.fr.srt"
    source.write_text(DIALOGUE, encoding="utf-8")
    out = _run(source, "--engine", "apertium", "--no-default-glossary")
    cues = _cue_lines(out / "dialogue.en.srt")
    assert len(cues) == 5
    first, second, third, fourth, fifth = cues
    assert len(first) == 2 and all(line.startswith("- ") for line in first), first
    assert "house" in first[0] and "house" not in first[1], first  # the first speaker's words stay theirs
    assert len(second) == 2 and all(line.startswith("- ") for line in second), second
    assert "want" in second[0] and "want" not in second[1], second
    assert [line.replace("{\\i1}", "").replace("{\\i0}", "")[:2] for line in third] == ["- ", "- "], third
    assert fourth[-1].startswith("- ") and fourth[0].startswith("- ") and "tomorrow" not in fourth[-1], fourth
    assert len(fifth) == 2 and not fifth[0].startswith("-") and fifth[1].startswith("- "), fifth
    english = (out / "dialogue.en.srt").read_text(encoding="utf-8")
    assert english.split("\n\n")[2] == "3\n00:00:07,000 --> 00:00:09,000\n<i>- You come?</i>\n<i>- No.</i>", english


def test_the_copy_model_gives_dialogue_cues_back_unchanged(tmp_path: Path, synthetic_package: Path):
    source = tmp_path / "dialogue.fr.srt"
    source.write_text(DIALOGUE.replace(" ?", "?"), encoding="utf-8")  # English typography drops the space
    out = _run(source, "--model", str(synthetic_package), "--no-default-glossary")
    assert (out / "dialogue.en.srt").read_text(encoding="utf-8") == DIALOGUE.replace(" ?", "?")
    tsv = (out / "dialogue.fr-en.tsv").read_text(encoding="utf-8").splitlines()
    assert "C'est une maison blanche\tC'est une maison blanche" in tsv, tsv  # one speaker per segment


VTT_DIALOGUE = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v Marie>- C'est une maison blanche
<v Paul>- Blanche et grande.

00:00:04.000 --> 00:00:06.000
{\\an8}- Tu viens avec nous
- Non, je reste à la maison.
"""
"""Voices on each speaker's line, and an SRT placement a converter left at the start of a WebVTT cue (it
was taken, with the whole first line, as the cue's prefix: that line went untranslated and the next
speaker's dash came out glued to its end)."""


def test_webvtt_dialogue_keeps_each_speaker_on_their_own_line(tmp_path: Path, synthetic_package: Path):
    source = tmp_path / "dialogue.fr.vtt"
    source.write_text(VTT_DIALOGUE, encoding="utf-8")
    out = _run(source, "--model", str(synthetic_package), "--no-default-glossary")
    assert (out / "dialogue.en.vtt").read_text(encoding="utf-8") == VTT_DIALOGUE
    tsv = (out / "dialogue.fr-en.tsv").read_text(encoding="utf-8").splitlines()
    assert tsv[1:] == [f"{fr}\t{fr}" for fr in ("C'est une maison blanche", "Blanche et grande.",
                                                "Tu viens avec nous", "Non, je reste à la maison.")], tsv


def test_webvtt_dialogue_with_apertium_puts_each_dash_before_its_own_speaker(tmp_path: Path):
    _apertium()
    import webvtt

    source = tmp_path / "dialogue.fr.vtt"
    source.write_text(VTT_DIALOGUE, encoding="utf-8")
    out = _run(source, "--engine", "apertium", "--no-default-glossary")
    english = (out / "dialogue.en.vtt").read_text(encoding="utf-8")
    assert [(c.start, c.end) for c in webvtt.from_buffer(io.StringIO(english))] == [
        ("00:00:01.000", "00:00:03.000"), ("00:00:04.000", "00:00:06.000")]
    cues = [block.splitlines()[1:] for block in english.split("\n\n")[1:]]
    assert cues[0][0].startswith("<v Marie>- ") and "house" in cues[0][0], cues
    assert cues[0][1].startswith("<v Paul>- ") and "house" not in cues[0][1], cues
    assert len(cues[1]) == 2 and cues[1][0].startswith("{\\an8}- ") and cues[1][1].startswith("- "), cues
    assert "viens" not in english and "reste" not in english, english


# --- 4. spacing around inline code, the same in HTML and Markdown ---------------------------------------

CODE_SENTENCES = [
    "Lancez `make`, puis `make install`.",
    "Le fichier (`config.yml`) est lu ; voir `README`.",
    "La commande `make` : elle compile tout.",
    "Voir l'option `-v` !",
    "Tapez — `make` — puis attendez.",
]


def test_inline_code_next_to_punctuation_keeps_its_spacing_in_markdown_and_html(tmp_path: Path):
    """Through the command with Apertium: both formats give the same English, spaced as English."""
    _apertium()
    import re

    (tmp_path / "md").mkdir()
    (tmp_path / "html").mkdir()
    (tmp_path / "md" / "code.fr.md").write_text("\n\n".join(CODE_SENTENCES) + "\n", encoding="utf-8")
    page = "".join("<p>" + re.sub(r"`([^`]*)`", r"<code>\1</code>", s) + "</p>\n" for s in CODE_SENTENCES)
    (tmp_path / "html" / "code.fr.html").write_text(f"<html><body>\n{page}</body></html>\n", encoding="utf-8")
    markdown = _run(tmp_path / "md" / "code.fr.md", "--engine", "apertium", "--no-default-glossary")
    md_lines = [line for line in (markdown / "code.en.md").read_text(encoding="utf-8").splitlines() if line]
    html_out = _run(tmp_path / "html" / "code.fr.html", "--engine", "apertium", "--no-default-glossary")
    html_lines = [re.sub(r"</?code>", "`", line)[3:-4] for line in
                  (html_out / "code.en.html").read_text(encoding="utf-8").splitlines() if line.startswith("<p>")]
    assert md_lines == html_lines
    first, second, third, fourth, fifth = md_lines
    assert first.endswith("`make`, afterwards `make install`."), first
    assert "(`config.yml`)" in second and second.endswith("; see `README`."), second
    assert "`make`:" in third, third
    assert fourth.endswith("`-v`!"), fourth
    assert "— `make` —" in fifth, fifth


GLUED = [
    # French (Markdown), an English an engine glued to the code, where the code went, the English expected
    ("Tapez $ `make` dans le terminal.", "Type $ in the terminal.", 6, "Type $ `make` in the terminal."),
    ("Le prix est de 5 € `HT` par mois.", "The price is 5 € a month.", 16, "The price is 5 € `HT` a month."),
    ("Lancez `make` (version 4).", "Run (version 4).", 4, "Run `make` (version 4)."),
    ("Voir `README` ; puis partir.", "See ; then leave.", 4, "See `README`; then leave."),
    ("Le mot « `make` » est court.", "The word “” is short.", 10, "The word “`make`” is short."),
    ("Les fichiers des auteurs' `x` sont là.", "The authors' are here.", 12, "The authors' `x` are here."),
    ("Le 3 `mai` est férié.", "The 3 is a holiday.", 5, "The 3 `mai` is a holiday."),
]
"""A code that had a space beside it in French and that the English glues to a sign or a bracket."""


def _html(markdown_line: str) -> str:
    import re

    return "<html><body><p>" + re.sub(r"`([^`]*)`", r"<code>\1</code>", markdown_line) + "</p></body></html>"


def test_a_glued_code_gets_its_french_space_back_the_same_way_in_markdown_and_html():
    import pytest

    from translate.formats import html, markdown
    from translate.formats.structured import UnitTranslation

    failures = []
    for french, english, position, expected in GLUED:
        md = markdown.FORMAT.read(french.encode(), Path("x.md"))
        code = md.units[0].codes[0]
        md_out = markdown.FORMAT.write(md, [UnitTranslation(english, [code.at(position)])], "en").decode()
        page = html.FORMAT.read(_html(french).encode(), Path("x.html"))
        code = page.units[0].codes[0]
        html_out = html.FORMAT.write(page, [UnitTranslation(english, [code.at(position)])], "en").decode()
        if md_out != expected:
            failures.append(("md", md_out, expected))
        if html_out != _html(expected):
            failures.append(("html", html_out, _html(expected)))
    if failures:
        pytest.fail("\n".join(map(str, failures)))


# ---------------------------------------------------------------- a dash that is not its turn's first (rare now)

def test_a_dash_inside_a_unit_still_breaks_its_line_and_moves_to_a_word_start() -> None:
    """Each speaker's turn is its own unit now, so a dash inside a unit is the rare cue that could not be cut
    into turns: it still starts a line of its own, after a sentence end or at the start of its word."""
    from translate.document import InlineCode
    from translate.formats.subtitle_layout import line_breaks
    from translate.formats.subtitles import _dash_at_word_start

    text = "Are you coming? No."
    dash = InlineCode(2, "isolated", "- ", 15)
    second = InlineCode(2, "isolated", "- ", 16)
    assert [(g.start, g.end) for g in line_breaks(text, [InlineCode(1, "isolated", "- ", 0), second])] == [(15, 16)]
    assert line_breaks(text, [dash], max_lines=1) == []
    assert _dash_at_word_start(text, dash, first=False).position == 16  # after "coming?": to the next sentence
    assert _dash_at_word_start("Are you coming now", InlineCode(2, "isolated", "- ", 10), first=False).position == 8
    assert _dash_at_word_start(text, dash, first=True).position == 0
    assert _dash_at_word_start(text, InlineCode(3, "open", "<i>", 5), first=False).position == 5  # not a dash
