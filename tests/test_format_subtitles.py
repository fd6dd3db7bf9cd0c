"""Subtitles (SRT, WebVTT) as structured input: cues grouped into sentences, English shared out over the
same cues, everything but cue text kept byte for byte; pysubs2 and webvtt-py as independent readers."""

from __future__ import annotations

import codecs
import io
import json
import re
from pathlib import Path

import pysubs2  # dev extra: an independent SRT reader
import pytest
import webvtt  # dev extra (webvtt-py): an independent WebVTT reader

from translate.document import InlineCode
from translate.errors import UserError
from translate.formats import srt, vtt
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation
from translate.formats.subtitle_layout import LINE_WIDTH

from support import need, run_cli

SRT_CUES = [
    ("1", "00:00:01,000 --> 00:00:03,500", ["Bonsoir, et bienvenue dans ce journal", "consacré à la crise de l'énergie."]),
    ("2", "00:00:03,800 --> 00:00:06,200", ["Le gouvernement a annoncé ce matin"]),
    ("3", "00:00:06,300 --> 00:00:08,900", ["un nouveau plan de soutien", "aux ménages les plus modestes,"]),
    ("4", "00:00:09,000 --> 00:00:11,400", ["dès le mois prochain."]),
    ("5", "00:00:12,000 --> 00:00:14,000", ["<i>« Nous ne laisserons personne</i>"]),
    ("6", "00:00:14,100 --> 00:00:16,000", ["<i>sur le bord du chemin »,</i>", "a déclaré la ministre."]),
    ("7", "00:00:17,000 --> 00:00:19,000", ["- Vous y croyez, vous ?", "- Pas vraiment."]),
    ("8", "00:00:19,500 --> 00:00:22,000", ['{\\an8}<font color="#ffff00">Paris, 20 heures</font>']),
    ("9", "00:00:25,000 --> 00:00:27,000", ["Les syndicats appellent"]),
    ("10", "00:00:30,000 --> 00:00:32,500", ["à manifester jeudi."]),
]
"""A news bulletin: two-line cues, a sentence over cues 2-4, italics over 5-6, a dialogue cue, placement
markup, and cues 9/10 separated by a long pause (two units although the sentence runs on)."""


def srt_bytes(newline: str = "\r\n", bom: bool = False) -> bytes:
    blocks = [newline.join([n, t, *lines]) + newline for n, t, lines in SRT_CUES]
    return (codecs.BOM_UTF8 if bom else b"") + newline.join(blocks).encode("utf-8")


VTT_TEXT = """WEBVTT - Journal de 20 heures
Kind: captions
Language: fr

STYLE
::cue(.jaune) { color: yellow; }

NOTE Sous-titres relus par la rédaction
le 3 mars.

REGION
id:bas width:80% lines:2

intro
00:00:01.000 --> 00:00:03.500 align:center line:90%
<v Présentatrice>Bonsoir à tous,

00:00:03.700 --> 00:00:06.000 region:bas
<v Présentatrice>et merci de nous rejoindre,
Marc &amp; moi, pour ce journal.

sujet-1
01:02.000 --> 01:05.500 position:10% align:start
Le <c.jaune>Sénat</c> a adopté le texte

sujet-1b
01:05.600 --> 01:08.000
<i>en première lecture</i> mardi soir.
"""

ENGLISH = {
    "Bonsoir, et bienvenue dans ce journal consacré à la crise de l'énergie.":
        "Good evening, and welcome to this bulletin devoted to the energy crisis.",
    "Le gouvernement a annoncé ce matin un nouveau plan de soutien aux ménages les plus modestes, "
    "dès le mois prochain.":
        "This morning the government announced a new plan to support the poorest households, "
        "starting next month.",
    "« Nous ne laisserons personne sur le bord du chemin », a déclaré la ministre.":
        "“We will leave nobody by the wayside,” the minister said.",
    "Vous y croyez, vous ?": "Do you believe it?",
    "Pas vraiment.": "Not really.",
    "Paris, 20 heures": "Paris, 8 p.m.",
    "Les syndicats appellent": "The unions are calling",
    "à manifester jeudi.": "for demonstrations on Thursday.",
    "Bonsoir à tous, et merci de nous rejoindre, Marc & moi, pour ce journal.":
        "Good evening everyone, and thank you for joining Marc & me for this bulletin.",
    "Le Sénat a adopté le texte en première lecture mardi soir.":
        "The Senate passed the bill at first reading on Tuesday evening.",
}
"""A translator's English for each unit of both files."""
WORD_PAIRS = {"Sénat": "Senate", "en première lecture": "at first reading", "« Nous ne laisserons personne": "“We will leave nobody",
              "sur le bord du chemin »,": "by the wayside,”", "Paris, 20 heures": "Paris, 8 p.m.", "Vous": "Do", "Pas": "Not"}
"""French words inside markup (or after a dash) and their English, to place the codes on the right words."""


def pysubs2_read(data: bytes):
    """pysubs2's own reading of an SRT file (opened as a player would: any line endings, BOM or not)."""
    return pysubs2.SSAFile.from_file(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig"), format_="srt")


def identity(parsed: ParsedFile) -> list[UnitTranslation]:
    return [UnitTranslation(u.text, list(u.codes)) for u in parsed.units]


def translated(unit: TextUnit) -> UnitTranslation:
    """The unit's English with each code moved onto the English of the words it wrapped in French."""
    english = ENGLISH[unit.text]
    codes: list[InlineCode] = []
    for code in unit.codes:
        position = len(english) if code.kind == "close" and code.position == len(unit.text) else 0
        if 0 < code.position < len(unit.text) or (code.kind != "close" and code.position):
            french_after = unit.text[code.position:]
            french_before = unit.text[:code.position]
            for fr, en in WORD_PAIRS.items():
                if code.kind == "close" and french_before.endswith(fr):
                    position = english.index(en) + len(en)
                    break
                if code.kind != "close" and french_after.startswith(fr):
                    position = english.index(en)
                    break
            else:
                raise AssertionError(f"no English for the code at {french_after!r}")
        codes.append(code.at(position))
    return UnitTranslation(english, sorted(codes, key=lambda c: c.position))


def cue_blocks(data: bytes, newline: str) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return [block.split(newline) for block in text.strip(newline).split(newline + newline)]


# --- reading ---------------------------------------------------------------------------------------

def test_sentence_over_three_cues_is_one_unit_and_markup_becomes_codes():
    parsed = srt.FORMAT.read(srt_bytes(), Path("journal.fr.srt"))
    texts = [u.text for u in parsed.units]
    assert texts == ["Bonsoir, et bienvenue dans ce journal consacré à la crise de l'énergie.",
                     "Le gouvernement a annoncé ce matin un nouveau plan de soutien aux ménages les plus modestes, "
                     "dès le mois prochain.",
                     "« Nous ne laisserons personne sur le bord du chemin », a déclaré la ministre.",
                     "Vous y croyez, vous ?",
                     "Pas vraiment.",
                     "Paris, 20 heures",
                     "Les syndicats appellent",
                     "à manifester jeudi."]
    quote = parsed.units[2]
    # </i> ending cue 5 and <i> opening cue 6 are one italic span of the sentence
    assert [(c.kind, c.data, c.position) for c in quote.codes] == [
        ("open", "<i>", 0), ("close", "</i>", quote.text.index(" a déclaré"))]
    # each speaker's turn of the dialogue cue is a unit of its own, its dash a code at its start
    assert [(c.kind, c.data, c.position) for u in parsed.units[3:5] for c in u.codes] == [
        ("isolated", "- ", 0), ("isolated", "- ", 0)]
    # {\an8} places the cue: kept with the cue, not a code of the sentence
    assert [(c.kind, c.data) for c in parsed.units[5].codes] == [("open", '<font color="#ffff00">'),
                                                                  ("close", "</font>")]
    assert parsed.warnings == []


def test_webvtt_units_entities_and_voice():
    parsed = vtt.FORMAT.read(VTT_TEXT.encode(), Path("journal.fr.vtt"))
    assert [u.text for u in parsed.units] == [
        "Bonsoir à tous, et merci de nous rejoindre, Marc & moi, pour ce journal.",
        "Le Sénat a adopté le texte en première lecture mardi soir."]
    assert parsed.units[0].codes == []  # the <v Présentatrice> voice of each cue stays with its cue
    assert [c.data for c in parsed.units[1].codes] == ["<c.jaune>", "</c>", "<i>", "</i>"]


def test_sniffing():
    assert srt.FORMAT.sniff(srt_bytes()[:64])
    assert srt.FORMAT.sniff(srt_bytes(bom=True)[:64])
    assert vtt.FORMAT.sniff(VTT_TEXT.encode()[:20])
    assert vtt.FORMAT.sniff(codecs.BOM_UTF8 + b"WEBVTT\n\n00:01.000 --> 00:02.000\nOui.\n")
    assert not vtt.FORMAT.sniff(srt_bytes())
    assert not srt.FORMAT.sniff(VTT_TEXT.encode())
    assert not srt.FORMAT.sniff("2024\nUne année électorale.\n".encode())
    assert srt.FORMAT.sniff("Sous-titres : Équipe X\n\n1\n00:00:01,000 --> 00:00:02,000\nOui.\n".encode())
    assert not vtt.FORMAT.sniff(b"WEBVTTX\n")


@pytest.mark.parametrize("fmt, data, message", [
    (srt.FORMAT, "Bonjour.\nRien à voir.\n".encode(), "no SRT cue found"),
    (vtt.FORMAT, b"1\n00:00:01.000 --> 00:00:02.000\nOui.\n", "not a WebVTT file"),
    (vtt.FORMAT, "WEBVTT\n\n00:01.000 --> 00:02.000\nMême pas UTF-8.\n".encode("latin-1"), "not valid UTF-8"),
])
def test_invalid_files_are_one_line_user_errors(fmt, data, message):
    with pytest.raises(UserError, match=message) as err:
        fmt.read(data, Path("x"))
    assert "\n" not in str(err.value)


# --- identity: the file comes back as it was -------------------------------------------------------

@pytest.mark.parametrize("newline, bom", [("\r\n", False), ("\n", True), ("\r\n", True)])
def test_srt_identity_is_byte_identical_and_pysubs2_reads_it(newline, bom):
    data = srt_bytes(newline, bom)
    parsed = srt.FORMAT.read(data, Path("journal.fr.srt"))
    out = srt.FORMAT.write(parsed, identity(parsed), "en")
    assert out == data
    events = pysubs2_read(out)
    assert len(events) == len(SRT_CUES)


def test_vtt_identity_is_byte_identical_and_webvtt_reads_it():
    data = VTT_TEXT.encode()
    parsed = vtt.FORMAT.read(data, Path("journal.fr.vtt"))
    out = vtt.FORMAT.write(parsed, identity(parsed), "en-GB")
    assert out == data.replace(b"Language: fr\n", b"Language: en-GB\n")  # the header's language is the output's
    captions = webvtt.from_buffer(io.StringIO(out.decode()))
    assert [c.identifier for c in captions] == ["intro", None, "sujet-1", "sujet-1b"]
    assert captions.metadata == ["Kind: captions", "Language: en-GB"]


def test_sloppy_italics_over_cues_come_back_balanced_in_each_cue():
    data = ("1\n00:00:01,000 --> 00:00:02,000\n<i>Nous ne laisserons\n\n"
            "2\n00:00:02,100 --> 00:00:04,000\npersonne de côté.</i>\n").encode()
    parsed = srt.FORMAT.read(data, Path("x.srt"))
    assert len(parsed.units) == 1
    out = srt.FORMAT.write(parsed, identity(parsed), "en").decode()
    assert "<i>Nous ne laisserons</i>\n" in out and "<i>personne de côté.</i>\n" in out
    assert [e.text for e in pysubs2_read(out.encode())] == [
        "{\\i1}Nous ne laisserons{\\i0}", "{\\i1}personne de côté.{\\i0}"]


# --- translation: English shared out over the same cues ----------------------------------------------

def translate_srt(newline: str = "\r\n") -> tuple[bytes, bytes, ParsedFile]:
    data = srt_bytes(newline)
    parsed = srt.FORMAT.read(data, Path("journal.fr.srt"))
    return data, srt.FORMAT.write(parsed, [translated(u) for u in parsed.units], "en"), parsed


def test_translated_srt_keeps_numbers_timecodes_and_crlf():
    data, out, _ = translate_srt()
    before, after = cue_blocks(data, "\r\n"), cue_blocks(out, "\r\n")
    assert [b[:2] for b in after] == [b[:2] for b in before]
    assert b"\n" not in out.replace(b"\r\n", b"")  # no bare LF slipped in
    events = pysubs2_read(out)
    assert [(e.start, e.end) for e in events] == [
        (pysubs2.time.make_time(s=int(t[6:8]), ms=int(t[9:12])), pysubs2.time.make_time(s=int(t[23:25]), ms=int(t[26:29])))
        for _, t, _ in SRT_CUES]


def test_translated_cues_have_two_lines_at_most_and_short_lines_where_possible():
    _, out, _ = translate_srt()
    for block in cue_blocks(out, "\r\n"):
        lines = [re.sub(r"<[^>]*>|\{\\[^}]*\}", "", line) for line in block[2:]]
        assert 1 <= len(lines) <= 2, block
        if len(" ".join(lines)) <= 2 * LINE_WIDTH - 10:
            assert all(len(line) <= LINE_WIDTH for line in lines), block


def test_sentence_is_shared_out_at_word_boundaries_in_proportion_to_the_french():
    _, out, parsed = translate_srt()
    blocks = cue_blocks(out, "\r\n")
    english = ENGLISH[parsed.units[1].text]
    pieces = [" ".join(blocks[i][2:]) for i in (1, 2, 3)]
    assert " ".join(pieces) == english  # in order, nothing lost, no word cut
    french = [" ".join(lines) for _, _, lines in SRT_CUES[1:4]]
    for fr, en in zip(french, pieces):
        assert en and abs(len(en) / len(english) - len(fr) / sum(map(len, french))) < 0.12, (fr, en)
    # the break after "households," follows the French clause end "modestes,"
    assert pieces[2] == "starting next month."


def test_markup_wraps_the_same_words_and_is_balanced_in_each_cue():
    _, out, _ = translate_srt()
    blocks = cue_blocks(out, "\r\n")
    quote = " ".join(blocks[4][2:]) + " | " + " ".join(blocks[5][2:])
    assert quote.count("<i>") == quote.count("</i>") == 2
    assert re.sub(r"</?i>", "", quote).startswith("“We will leave nobody")
    assert "by the wayside,”</i>" in quote and "</i> the minister said." in quote.replace("\r\n", " ")
    assert blocks[6][2:] == ["- Do you believe it?", "- Not really."]
    assert blocks[7][2:] == ['{\\an8}<font color="#ffff00">Paris, 8 p.m.</font>']
    events = pysubs2_read(out)
    assert events[4].text.startswith("{\\i1}") and events[4].text.endswith("{\\i0}")


def test_long_pause_ends_a_unit():
    _, out, parsed = translate_srt()
    blocks = cue_blocks(out, "\r\n")
    assert [u.text for u in parsed.units][-2:] == ["Les syndicats appellent", "à manifester jeudi."]
    assert blocks[8][2:] == ["The unions are calling"] and blocks[9][2:] == ["for demonstrations on Thursday."]


def test_long_cue_wraps_in_two_balanced_lines():
    data = ("1\n00:00:01,000 --> 00:00:05,000\nUn texte.\n").encode()
    parsed = srt.FORMAT.read(data, Path("x.srt"))
    english = "The parliament adopted the budget after a long night of negotiations."
    out = srt.FORMAT.write(parsed, [UnitTranslation(english, [])], "en").decode()
    lines = out.split("\n")[2:4]
    assert " ".join(lines) == english
    assert all(len(line) <= LINE_WIDTH for line in lines) and abs(len(lines[0]) - len(lines[1])) < 12


def test_too_long_english_keeps_two_lines_longer_than_the_width():
    data = ("1\n00:00:01,000 --> 00:00:05,000\nOui.\n").encode()
    parsed = srt.FORMAT.read(data, Path("x.srt"))
    english = " ".join(["word"] * 40)
    out = srt.FORMAT.write(parsed, [UnitTranslation(english, [])], "en").decode()
    assert out.split("\n")[2:4] == [" ".join(["word"] * 20)] * 2 and out.endswith("\n")


def test_every_cue_gets_a_word_and_empty_english_keeps_the_cues():
    data = ("1\n00:00:01,000 --> 00:00:02,000\nIl a dit\n\n2\n00:00:02,100 --> 00:00:03,000\nque non\n\n"
            "3\n00:00:03,100 --> 00:00:04,000\net il est parti.\n").encode()
    parsed = srt.FORMAT.read(data, Path("x.srt"))
    assert len(parsed.units) == 1
    out = srt.FORMAT.write(parsed, [UnitTranslation("He refused, then left.", [])], "en").decode()
    assert [b.split("\n")[2] for b in out.strip().split("\n\n")] == ["He", "refused,", "then left."]
    empty = srt.FORMAT.write(parsed, [UnitTranslation("", [])], "en").decode()
    assert [b.split("\n")[:2] for b in empty.strip().split("\n\n")] == [b.split("\n")[:2] for b in data.decode().strip().split("\n\n")]


def test_translated_vtt_keeps_header_blocks_identifiers_settings():
    data = VTT_TEXT.encode()
    parsed = vtt.FORMAT.read(data, Path("journal.fr.vtt"))
    out = vtt.FORMAT.write(parsed, [translated(u) for u in parsed.units], "en").decode()
    assert out.startswith(VTT_TEXT[:VTT_TEXT.index("intro")].replace("Language: fr", "Language: en"))
    for kept in ("intro\n00:00:01.000 --> 00:00:03.500 align:center line:90%\n<v Présentatrice>",
                 "\n00:00:03.700 --> 00:00:06.000 region:bas\n<v Présentatrice>",
                 "sujet-1\n01:02.000 --> 01:05.500 position:10% align:start\n", "sujet-1b\n01:05.600 --> 01:08.000\n"):
        assert kept in out
    assert "&amp;" in out and " & " not in out
    captions = webvtt.from_buffer(io.StringIO(out))
    assert [c.identifier for c in captions] == ["intro", None, "sujet-1", "sujet-1b"]
    assert [c.start for c in captions] == ["00:00:01.000", "00:00:03.700", "00:01:02.000", "00:01:05.600"]
    assert " ".join(c.raw_text.replace("\n", " ") for c in captions[2:]) == (
        "The <c.jaune>Senate</c> passed the bill <i>at first reading</i> on Tuesday evening.")
    assert len(webvtt.from_buffer(io.StringIO(out)).styles) == 1


def test_codes_follow_their_words_when_the_order_changes():
    data = "1\n00:00:01,000 --> 00:00:03,000\nUn <b>grand</b> <i>succès</i>.\n".encode()
    parsed = srt.FORMAT.read(data, Path("x.srt"))
    unit = parsed.units[0]
    english = "A success big."  # word order changed: codes go with their words
    codes = {(c.data): c for c in unit.codes}
    moved = [codes["<i>"].at(2), codes["</i>"].at(9), codes["<b>"].at(10), codes["</b>"].at(13)]
    out = srt.FORMAT.write(parsed, [UnitTranslation(english, moved)], "en").decode()
    assert out.split("\n")[2] == "A <i>success</i> <b>big</b>."


def test_windows_1252_srt_is_read_with_a_warning_and_written_back_so():
    data = "1\r\n00:00:01,000 --> 00:00:02,000\r\nÀ demain, Hélène.\r\n".encode("cp1252")
    parsed = srt.FORMAT.read(data, Path("vieux.srt"))
    assert parsed.units[0].text == "À demain, Hélène." and "Windows-1252" in parsed.warnings[0]
    assert srt.FORMAT.write(parsed, identity(parsed), "en") == data
    out = srt.FORMAT.write(parsed, [UnitTranslation("See you tomorrow, Hélène ✓", [])], "en")
    assert out.startswith(codecs.BOM_UTF8) and "✓".encode() in out


def test_text_outside_cues_is_kept_and_reported():
    data = "Sous-titres : Équipe X\n\n1\n00:00:01,000 --> 00:00:02,000\nOui.\n".encode()
    parsed = srt.FORMAT.read(data, Path("x.srt"))
    assert [u.text for u in parsed.units] == ["Oui."]
    assert "outside any cue" in parsed.warnings[0] and "line 1" in parsed.warnings[0]
    assert srt.FORMAT.write(parsed, identity(parsed), "en") == data


@pytest.mark.parametrize("fmt, data", [(srt.FORMAT, srt_bytes()), (vtt.FORMAT, VTT_TEXT.encode())], ids=["srt", "vtt"])
def test_any_english_length_and_code_placement_keeps_a_valid_file(fmt, data):
    """Random English of 0-40 words with the codes anywhere the contract allows: same cues and timings,
    at most two lines a cue, every markup pair balanced in each cue, every English word once and in order."""
    import random

    words = "the government said on Tuesday that it would not leave anybody behind extraordinarily".split()
    for seed in range(60):
        rnd = random.Random(seed)
        parsed = fmt.read(data, Path("x"))
        translations = []
        for unit in parsed.units:
            english = " ".join(rnd.choice(words) for _ in range(rnd.choice([0, 1, 2, 5, 15, 40])))
            positions = sorted(rnd.randint(0, len(english)) for _ in unit.codes)
            translations.append(UnitTranslation(english, [c.at(p) for c, p in zip(unit.codes, positions)]))
        again = fmt.read(fmt.write(parsed, translations, "en"), Path("y")).state.file
        assert [c.timing for c in again.cues] == [c.timing for c in parsed.state.file.cues]
        for cue in again.cues:
            body = " ".join(line.text for line in cue.lines)
            assert len(cue.lines) <= 2, (seed, body)
            for tag in ("i", "font", "c"):
                assert len(re.findall(f"<{tag}[ .>]", body)) == body.count(f"</{tag}>"), (seed, body)
        shown = re.sub(r"<[^>]*>|\{\\[^}]*\}", "", " ".join(" ".join(line.text for line in c.lines) for c in again.cues))
        assert [w for w in shown.split() if w != "-"] == " ".join(t.text for t in translations).split(), seed


def test_units_end_at_another_voice_placement_or_too_many_cues():
    vtt_data = ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>Tu viens\n\n"
                "00:02.100 --> 00:03.000\n<v Marc>demain matin ?\n").encode()
    assert [u.text for u in vtt.FORMAT.read(vtt_data, Path("x.vtt")).units] == ["Tu viens", "demain matin ?"]
    srt_data = ("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Place de la République\n\n"
                "2\n00:00:02,100 --> 00:00:03,000\nles manifestants arrivent.\n").encode()
    assert len(srt.FORMAT.read(srt_data, Path("x.srt")).units) == 2
    lyrics = "".join(f"{n}\n00:00:{n:02},000 --> 00:00:{n:02},900\nla la la\n\n" for n in range(1, 14)).encode()
    assert [len(u.key) and u.key for u in srt.FORMAT.read(lyrics, Path("x.srt")).units] == [
        "cues 1-6", "cues 7-12", "cues 13-13"]


def test_ellipsis_continuation_keeps_the_sentence_together():
    data = ("1\n00:00:01,000 --> 00:00:02,000\nJe pense que...\n\n"
            "2\n00:00:02,100 --> 00:00:03,000\n...vous avez raison.\n\n"
            "3\n00:00:03,100 --> 00:00:04,000\nMerci…\n\n4\n00:00:04,100 --> 00:00:05,000\nAu revoir.\n").encode()
    assert [u.text for u in srt.FORMAT.read(data, Path("x.srt")).units] == [
        "Je pense que... ...vous avez raison.", "Merci…", "Au revoir."]


def test_italics_line_by_line_are_one_span():
    data = "1\n00:00:01,000 --> 00:00:03,000\n<i>Ici Radio France,</i>\n<i>il est 20 heures.</i>\n".encode()
    parsed = srt.FORMAT.read(data, Path("x.srt"))
    assert [(c.kind, c.position) for c in parsed.units[0].codes] == [("open", 0), ("close", len(parsed.units[0].text))]
    out = srt.FORMAT.write(parsed, identity(parsed), "en")
    assert out.decode().split("\n")[2:4] == ["<i>Ici Radio France,", "il est 20 heures.</i>"]
    assert pysubs2_read(out)[0].text == "{\\i1}Ici Radio France,\\Nil est 20 heures.{\\i0}"


def test_utf16_and_mixed_line_endings_come_back_as_they_were():
    text = "1\r\n00:00:01,000 --> 00:00:02,000\r\nBonjour à tous.\n\n2\r00:00:02,500 --> 00:00:03,000\rMerci.\r"
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (b"", "utf-8")):
        data = bom + text.encode(encoding)
        assert srt.FORMAT.sniff(data[:64])
        parsed = srt.FORMAT.read(data, Path("x.srt"))
        assert [u.text for u in parsed.units] == ["Bonjour à tous.", "Merci."]
        assert srt.FORMAT.write(parsed, identity(parsed), "en") == data
        english = [UnitTranslation("Hello everyone.", []), UnitTranslation("Thanks.", [])]
        expected = text.replace("Bonjour à tous.", "Hello everyone.").replace("Merci.", "Thanks.")
        assert srt.FORMAT.write(parsed, english, "en") == bom + expected.encode(encoding)


def test_speaker_dash_an_engine_moved_comes_back_to_the_start_of_its_turn():
    data = "1\n00:00:01,000 --> 00:00:03,000\n- Vous y croyez ?\n- Pas vraiment.\n".encode()
    parsed = srt.FORMAT.read(data, Path("x.srt"))
    (first,), (second,) = (unit.codes for unit in parsed.units)  # one unit per speaker, its dash at its start
    question, answer = "Do you believe it?", "Not really."
    for place in (len, lambda text: text.index(" ") + 1, lambda text: 1):  # at the end, on word 2, in a word
        english = [UnitTranslation(question, [first.at(place(question))]),
                   UnitTranslation(answer, [second.at(place(answer))])]
        out = srt.FORMAT.write(parsed, english, "en").decode()
        assert out.split("\n")[2:4] == ["- Do you believe it?", "- Not really."], place


# --- end to end: `translate run x.fr.srt` ----------------------------------------------------------------

def text_lines(data: bytes, newline: str) -> list[list[str]]:
    """Each cue's text lines (after the number and timing lines)."""
    return [block[2:] for block in cue_blocks(data, newline)]


def frame(data: bytes, newline: str) -> list[list[str]]:
    """Everything but cue text: numbers and timing lines, cue by cue."""
    return [block[:2] for block in cue_blocks(data, newline)]


def test_run_with_the_copy_model_keeps_cues_and_puts_markup_around_the_same_words(tmp_path: Path,
                                                                                   synthetic_package: Path):
    (tmp_path / "sous-titres.fr.srt").write_bytes(srt_bytes())
    (tmp_path / "journal.fr.vtt").write_bytes(VTT_TEXT.encode())
    result = run_cli("run", str(tmp_path / "sous-titres.fr.srt"), str(tmp_path / "journal.fr.vtt"),
                     "--model", str(synthetic_package), "--no-default-glossary", "--no-cache", "-q")
    assert result.returncode == 0, result.stderr
    out = (tmp_path / "sous-titres.en.srt").read_bytes()
    assert frame(out, "\r\n") == frame(srt_bytes(), "\r\n") and b"\n" not in out.replace(b"\r\n", b"")
    english, french = text_lines(out, "\r\n"), text_lines(srt_bytes(), "\r\n")
    # the copy model's English is the French (typography aside: « » become “ ”, "vous ?" "vous?")
    for k in (0, 1, 2, 3, 7, 8, 9):
        assert english[k] == french[k], k
    assert english[4] == ["<i>“Nous ne laisserons personne</i>"]
    assert english[5][0].startswith("<i>sur le bord du chemin") and english[5][1] == "a déclaré la ministre."
    assert english[6] == ["- Vous y croyez, vous?", "- Pas vraiment."]
    assert [e.text for e in pysubs2_read(out)][7] == "{\\an8}Paris, 20 heures"  # pysubs2 drops <font>
    vtt_out = (tmp_path / "journal.en.vtt").read_bytes()
    assert vtt_out == VTT_TEXT.replace("Language: fr", "Language: en").encode()
    records = [json.loads(line) for line in (tmp_path / "sous-titres.fr-en.jsonl").read_text().splitlines()]
    italic = next(r for r in records if "laisserons" in r["source"])
    assert [c["data"] for c in italic["codes"]] == ["<i>", "</i>"]
    tsv = (tmp_path / "sous-titres.fr-en.tsv").read_text(encoding="utf-8").splitlines()
    assert "Vous y croyez, vous ?\tVous y croyez, vous?" in tsv
    assert "laisserons" in (tmp_path / "sous-titres.fr-en.tmx").read_text(encoding="utf-8")


def test_run_with_apertium_translates_cues_in_place(tmp_path: Path):
    from translate.engines.apertium import apertium_status

    need(*apertium_status())
    (tmp_path / "sous-titres.fr.srt").write_bytes(srt_bytes())
    result = run_cli("run", str(tmp_path / "sous-titres.fr.srt"), "--engine", "apertium",
                     "--no-default-glossary", "--no-cache", "-q")
    assert result.returncode == 0, result.stderr
    out = (tmp_path / "sous-titres.en.srt").read_bytes()
    assert frame(out, "\r\n") == frame(srt_bytes(), "\r\n")
    shown = " ".join(" ".join(lines) for lines in text_lines(out, "\r\n"))
    assert " the " in shown and "gouvernement" not in shown and "ministre" not in shown
    for lines in text_lines(out, "\r\n"):
        assert 1 <= len(lines) <= 2 and " ".join(lines).count("<i>") == " ".join(lines).count("</i>"), lines
    dialogue = text_lines(out, "\r\n")[6]
    assert len(dialogue) == 2 and all(line.startswith("- ") for line in dialogue), dialogue
    assert text_lines(out, "\r\n")[7][0].startswith('{\\an8}<font color="#ffff00">')
    assert len(pysubs2_read(out)) == len(SRT_CUES)


def test_run_refuses_a_file_named_srt_that_is_not(tmp_path: Path):
    (tmp_path / "notes.fr.srt").write_text("Compte rendu de la réunion.\n", encoding="utf-8")
    result = run_cli("run", str(tmp_path / "notes.fr.srt"), "--engine", "apertium", "-q")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "srt" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.fr.srt"]
