"""Glossary files: TSV, CSV and TBX read and written, bad files rejected with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.builtin import builtin_glossary
from glossary.collection import Glossary
from glossary.csvfmt import parse_csv
from glossary.entry import TermEntry
from glossary.errors import GlossaryError
from glossary.load import load_glossaries, read_glossary, write_glossary
from glossary.tbx import format_tbx, parse_tbx
from glossary.tsv import format_tsv, parse_tsv


def test_tsv_variants_comment_and_flags() -> None:
    g = parse_tsv("# comment\nOTAN|Otan\tNATO\tacronym\tarticle=none\n\nOTSC\tCSTO\n", "g.tsv")
    assert [(e.sources, e.target, e.note, e.article) for e in g] == [
        (("OTAN", "Otan"), "NATO", "acronym", "none"),
        (("OTSC",), "CSTO", "", "the"),  # inferred for an acronym read letter by letter
    ]
    assert g.entries[0].id == "g.tsv:2"


def test_tsv_repeated_rows_with_one_target_merge() -> None:
    g = parse_tsv("Kirghizistan\tKyrgyzstan\nKirghizstan\tKyrgyzstan\n", "g.tsv")
    assert len(g) == 1 and g.entries[0].sources == ("Kirghizistan", "Kirghizstan")


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("OTAN\tNATO\n\tCSTO\n", 2, "empty"),
        ("OTAN\tNATO\nOTAN\tOTAN\n", 2, "already translated"),
        ("OTAN\tNATO\nl'OTAN|Otan\tNATO\notan\tthe NATO\n", 3, "already translated"),
        ("OTAN\tNATO\nOTSC\n", 2, "column"),
        ("OTAN\tNATO\ta\tb\tc\n", 1, "column"),
        ("OTAN\tNATO\t\tcase=maybe\n", 1, "unknown flag"),
    ],
)
def test_tsv_errors_name_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(GlossaryError, match=rf"^g\.tsv:{line}: .*{words}"):
        parse_tsv(text, "g.tsv")


def test_bad_encoding_gives_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.tsv"
    path.write_bytes("OTAN\tNATO\nCEI\tCIS\nÉtats-Unis\tUnited States\n".encode("latin-1"))
    with pytest.raises(GlossaryError, match=r"latin1\.tsv:3: not UTF-8"):
        read_glossary(path)


def test_missing_binary_and_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="no such file"):
        read_glossary(tmp_path / "nope.tsv")
    (tmp_path / "bin.tsv").write_bytes(b"OTAN\tNATO\n\x00\x01")
    with pytest.raises(GlossaryError, match="bin.tsv:2: binary"):
        read_glossary(tmp_path / "bin.tsv")
    (tmp_path / "empty.tsv").write_text("# nothing yet\n")
    with pytest.raises(GlossaryError, match="empty.tsv: no glossary entries"):
        read_glossary(tmp_path / "empty.tsv")
    (tmp_path / "g.docx").write_text("x")
    with pytest.raises(GlossaryError, match="unknown glossary extension"):
        read_glossary(tmp_path / "g.docx")


def test_csv_language_columns_and_note() -> None:
    text = 'Description,fr-FR,en-US\n"alliance, military",OTAN|Otan,NATO\nregion,Asie centrale,Central Asia\n'
    g = parse_csv(text, "g.csv")
    assert [(e.sources, e.target, e.note) for e in g] == [
        (("OTAN", "Otan"), "NATO", "alliance, military"),
        (("Asie centrale",), "Central Asia", "region"),
    ]


def test_csv_semicolon_delimiter_and_errors() -> None:
    assert parse_csv("fr;en\nONU;UN\n", "g.csv").entries[0].target == "UN"
    with pytest.raises(GlossaryError, match=r"g\.csv:1: .*no 'fr' and 'en'"):
        parse_csv("source,target\nONU,UN\n", "g.csv")
    with pytest.raises(GlossaryError, match=r"g\.csv:3: 3 column"):
        parse_csv("fr,en\nONU,UN\nOTAN,NATO,extra\n", "g.csv")
    with pytest.raises(GlossaryError, match=r"g\.csv:3: .*already translated"):
        parse_csv("fr,en\nONU,UN\nONU,United Nations\n", "g.csv")


TBX_BASIC = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
 <text><body>
  <termEntry id="e1">
   <descrip type="definition">Military alliance</descrip>
   <langSet xml:lang="fr"><tig><term>OTAN</term></tig><ntig><termGrp><term>Otan</term></termGrp></ntig></langSet>
   <langSet xml:lang="en-GB"><tig><term>NATO</term></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="fr"><termSec><term>OTSC</term></termSec></langSec>
   <langSec xml:lang="en">
    <termSec><term>C.S.T.O.</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
    <termSec><term>CSTO</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
   </langSec>
  </conceptEntry>
 </body></text>
</tbx>
"""


def test_tbx_basic_and_v3() -> None:
    basic = parse_tbx(TBX_BASIC, "b.tbx")
    assert [(e.sources, e.target, e.note) for e in basic] == [(("OTAN", "Otan"), "NATO", "Military alliance")]
    v3 = parse_tbx(TBX_V3, "v3.tbx")
    assert [(e.sources, e.target) for e in v3] == [(("OTSC",), "CSTO")]
    assert v3.entries[0].id == "v3.tbx:4"


def test_tbx_malformed_xml_gives_parser_line() -> None:
    broken = TBX_V3.replace("</termSec></langSec>", "</termSec>", 1)
    with pytest.raises(GlossaryError, match=r"^x\.tbx:10: malformed XML \(Opening and ending tag mismatch"):
        parse_tbx(broken, "x.tbx")


def test_tbx_written_is_v3_with_xml_lang_and_reads_back() -> None:
    g = Glossary([TermEntry(("OTAN", "Otan"), "NATO", "alliance")], "g")
    text = format_tbx(g)
    assert 'xmlns="urn:iso:std:iso:30042:ed-2"' in text and 'style="dca"' in text
    assert '<langSec xml:lang="fr">' in text and '<langSec xml:lang="en">' in text
    back = parse_tbx(text, "g.tbx")
    assert [(e.sources, e.target, e.note) for e in back] == [(("OTAN", "Otan"), "NATO", "alliance")]


@pytest.mark.parametrize("suffix", ["tsv", "csv", "tbx"])
def test_round_trip_every_format(tmp_path: Path, suffix: str) -> None:
    original = builtin_glossary()
    path = tmp_path / f"g.{suffix}"
    write_glossary(original, path)
    back = read_glossary(path)
    assert [(e.sources, e.target) for e in back] == [(e.sources, e.target) for e in original]
    if suffix == "tsv":
        assert format_tsv(back) == format_tsv(original)


def test_user_glossary_wins_over_builtin(tmp_path: Path) -> None:
    user = tmp_path / "mine.tsv"
    user.write_text("OTAN\tthe Alliance\n", encoding="utf-8")
    merged = load_glossaries([user])
    targets = {f: e.target for e in merged for f in e.sources}
    assert targets["OTAN"] == "the Alliance"
    assert "Otan" not in targets  # a user form claims its case variants: no mixed translations
    assert targets["Organisation du traité de l'Atlantique Nord"] == "North Atlantic Treaty Organization"
    assert targets["OTSC"] == "CSTO"


def test_builtin_glossary_size_and_required_entries() -> None:
    g = builtin_glossary()
    assert len(g) >= 150
    targets = {f: e.target for e in g for f in e.sources}
    expected = {
        "OTSC": "CSTO", "CEI": "CIS", "OTAN": "NATO", "ONU": "UN", "UE": "EU", "OCS": "SCO", "FMI": "IMF",
        "OMC": "WTO", "AIEA": "IAEA", "OMS": "WHO", "BCE": "ECB",
        "Assemblée générale des Nations unies": "UN General Assembly", "Conseil de sécurité": "Security Council",
        "Maison Blanche": "White House", "département d'État": "State Department",
        "département du Trésor": "Treasury Department", "Conseil atlantique": "Atlantic Council",
        "Organisation du traité de sécurité collective": "Collective Security Treaty Organization",
        "Communauté des États indépendants": "Commonwealth of Independent States",
        "Cour pénale internationale": "International Criminal Court", "Asie centrale": "Central Asia",
        "Kirghizistan": "Kyrgyzstan", "Tadjikistan": "Tajikistan", "Turkménistan": "Turkmenistan",
        "Ouzbékistan": "Uzbekistan",
    }
    assert {k: targets.get(k) for k in expected} == expected
