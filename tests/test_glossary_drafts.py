"""Issue 11 (glossary parts) and issue 14 items 9 and 12, through the real `translate` command.

Articles travel with placeholders and no placeholder reaches any output; plurals; target synonyms;
TBX acronym concepts; inferred acronym articles; `glossary check` lists every problem; TBX-Basic v2
export; built-in news terms; `glossary extract` names; rows split on LF only; TBX entities refused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from glossary.builtin import builtin_glossary
from glossary.english import term_pattern
from glossary.load import read_glossary
from support import need, run_cli

ROOT = Path(__file__).resolve().parents[1]
PLURALS = ROOT / "tests" / "data" / "glossary_plurals.fr-en.tsv"
NEWS = sorted((ROOT / "tests" / "data" / "news").glob("*.fr.txt"))
PLACEHOLDER = re.compile(r"(?<![\d.,])9[ ,.\u00a0\u202f]?00\d(?!\d)")
"""The placeholders protect gives these sentences (9001…): they hold no number of their own."""
ALL_FORMATS = "txt,tsv,tmx,jsonl,qa,xliff"



def apertium_ready() -> None:
    from translate.engines.apertium import apertium_status

    need(*apertium_status())


def engine_args(engine: str, package: Path) -> list[str]:
    return ["--engine", "apertium"] if engine == "apertium" else ["--model", str(package)]


def translate_file(tmp_path: Path, text: str, engine: str, package: Path, *extra: str) -> tuple[str, list[dict], Path]:
    """Run `translate run` on `text`; the English, the JSONL records and the output folder."""
    if engine == "apertium":
        apertium_ready()
    source = tmp_path / "article.fr.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / f"out-{engine}"
    result = run_cli("run", str(source), *engine_args(engine, package), "-o", str(out), "-q",
                     "--formats", ALL_FORMATS, *extra)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in (out / "article.fr-en.jsonl").read_text(encoding="utf-8").splitlines()]
    return (out / "article.en.txt").read_text(encoding="utf-8"), records, out


ENGINES = ["synthetic", "apertium"]


# --- 11.2: the article travels with the placeholder; no placeholder anywhere ----------------------

ELISION = (
    "Il explique comment l’Occident a ouvert la voie aux manifestations pro-OTAN.\n"
    "Le sommet de l’OTSC et la réunion de l’ONU ont eu lieu.\n"
    "Le rôle de l’organisation non gouvernementale est clair.\n"
    "Une ONG a porté plainte.\n"
)


@pytest.mark.parametrize("engine", ENGINES)
def test_no_placeholder_in_any_output(tmp_path, synthetic_package, engine):
    english, records, out = translate_file(tmp_path, ELISION, engine, synthetic_package)
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        # only the source's own numbers could match; it has none
        assert not PLACEHOLDER.search(text), (path.name, PLACEHOLDER.search(text))
    for record in records:
        assert "glossary_placeholders" not in record
        assert all("placeholder" not in hit for hit in record["glossary_hits"])
        assert not any(re.search(r"\d", word) for word in record["unknown_words"]), record["unknown_words"]
    assert "the West" in english and "l’West" not in english and "it the West" not in english


def test_elided_article_not_read_as_a_pronoun_by_apertium(tmp_path, synthetic_package):
    english, records, _ = translate_file(tmp_path, ELISION, "apertium", synthetic_package)
    assert "how the West has opened" in english
    assert "pro-NATO" in english
    assert "of the non-governmental organization" in english  # keep + hidden l’ → "the"
    assert "An NGO " in english
    assert "pro-OTAN" in records[0]["unknown_words"] or not records[0]["unknown_words"]


# --- 11.7c: plurals -------------------------------------------------------------------------------

def _plural_cases() -> list[tuple[str, list[str]]]:
    rows = [line.split("\t") for line in PLURALS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [(french, terms.split("|")) for french, terms in rows]


def gold_accuracy(cases: list[tuple[str, list[str]]], english: list[str]) -> tuple[int, int]:
    """(expected English terms found as whole words, expected terms): singular/plural must be right."""
    found = sum(1 for (_, terms), target in zip(cases, english) for t in terms if term_pattern(t).search(target))
    return found, sum(len(terms) for _, terms in cases)


@pytest.mark.parametrize("engine", ENGINES)
def test_plural_terms_come_out_plural(tmp_path, synthetic_package, engine):
    cases = _plural_cases()
    assert len(cases) >= 30
    english, records, _ = translate_file(tmp_path, "\n".join(f for f, _ in cases) + "\n", engine, synthetic_package)
    targets = [r["target"] for r in records]
    assert len(targets) == len(cases)
    found, total = gold_accuracy(cases, targets)
    misses = [(f, terms, t) for (f, terms), t in zip(cases, targets) if not all(term_pattern(x).search(t) for x in terms)]
    assert found == total, misses


def test_french_plural_forms_match_and_invariable_ones_follow_the_determiner():
    matcher = builtin_glossary().matcher
    hits = matcher.find("Les organisations non gouvernementales et des ONG contre les cessez-le-feu successifs.")
    assert [(h.text, h.plural) for h in hits] == [
        ("organisations non gouvernementales", True), ("ONG", True), ("cessez-le-feu", True)
    ]
    assert [(h.text, h.plural) for h in matcher.find("Une ONG et le cessez-le-feu.")] == [
        ("ONG", False), ("cessez-le-feu", False)
    ]


# --- 11.7a: `|` in a target cell ------------------------------------------------------------------

def test_target_bar_means_synonyms_and_is_never_printed(tmp_path, synthetic_package):
    mine = tmp_path / "mine.tsv"
    mine.write_text("ONG\tNGO|NGOs\nOTSC\tCSTO|Collective Security Treaty Organization\n", encoding="utf-8")
    check = run_cli("glossary", "check", str(mine))
    assert check.returncode == 0, check.stderr
    assert "mine.tsv:1" in check.stderr and "plural" in check.stderr  # NGOs is NGO's plural: made by rule
    english, _, _ = translate_file(tmp_path, "Des ONG et l’OTSC.\n", "synthetic", synthetic_package,
                                   "--glossary", str(mine), "--no-default-glossary")
    assert "|" not in english and "NGOs" in english and "CSTO" in english
    exported = tmp_path / "mine.tbx"
    assert run_cli("glossary", "export", str(exported), "--from", str(mine)).returncode == 0
    terms = [t.text for t in etree.parse(str(exported)).iter("term")]
    assert "Collective Security Treaty Organization" in terms


# --- 11.7b: TBX concepts with a name and an acronym -----------------------------------------------

CPI_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="c1">
<langSet xml:lang="fr"><tig><term>Cour pénale internationale</term></tig><tig><term>CPI</term></tig></langSet>
<langSet xml:lang="en"><tig><term>International Criminal Court</term></tig><tig><term>ICC</term></tig></langSet>
</termEntry>
</body></text></martif>
"""


def test_tbx_acronym_maps_to_acronym_and_synonyms_are_exported(tmp_path, synthetic_package):
    tbx = tmp_path / "icc.tbx"
    tbx.write_text(CPI_TBX, encoding="utf-8")
    english, _, _ = translate_file(tmp_path, "La Cour pénale internationale (CPI) a rendu son avis.\n", "synthetic",
                                   synthetic_package, "--glossary", str(tbx), "--no-default-glossary")
    assert "International Criminal Court (ICC)" in english
    tsv = tmp_path / "icc.tsv"
    assert run_cli("glossary", "export", str(tsv), "--from", str(tbx)).returncode == 0
    rows = tsv.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("Cour pénale internationale\tInternational Criminal Court|ICC")
    assert rows[1].startswith("CPI\tICC|International Criminal Court")


# --- 11.7d: user acronyms get the article built-in ones have --------------------------------------

def test_user_acronyms_get_an_inferred_article(tmp_path, synthetic_package):
    mine = tmp_path / "mine.tsv"
    mine.write_text("CEDEAO\tECOWAS\nOTSC\tCSTO\nONUDI\tUNIDO\tread as a word\tarticle=the\n", encoding="utf-8")
    english, records, _ = translate_file(
        tmp_path, "La CEDEAO a réagi.\nL’OTSC a réagi.\nL’ONUDI a réagi.\n", "apertium", synthetic_package,
        "--glossary", str(mine), "--no-default-glossary",
    )
    lines = english.splitlines()
    assert lines[0].startswith("ECOWAS ") and lines[1].startswith("The CSTO ") and lines[2].startswith("The UNIDO ")
    assert [r["glossary_hits"][0]["article"] for r in records] == ["none", "the", "the"]


def test_readme_documents_the_glossary_columns():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for words in ("article=keep", "plural=", "case=auto", "accents=strict", "synonym", "acronym"):
        assert words in readme, words


# --- 11.7e: `glossary check` lists every problem --------------------------------------------------

def test_check_reports_every_problem(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("OTAN\tNATO\n\tCSTO\nONU\tUN\tx\tcase=maybe\nOTAN\tthe Alliance\nlonely\nCEI\tCIS\n", encoding="utf-8")
    result = run_cli("glossary", "check", str(bad))
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if re.match(r"error: .*bad\.tsv:\d+: ", line)]
    assert [re.search(r"bad\.tsv:(\d+):", e).group(1) for e in errors] == ["2", "3", "4", "5"]
    assert "Traceback" not in result.stderr and "4 error(s)" in result.stderr.splitlines()[-1]


# --- 11.7f: TBX-Basic v2 by default, v3 on request ------------------------------------------------

def test_export_tbx_basic_v2_by_default_and_v3_on_request(tmp_path):
    v2, v3 = tmp_path / "news.tbx", tmp_path / "news3.tbx"
    assert run_cli("glossary", "export", str(v2)).returncode == 0
    root = etree.parse(str(v2)).getroot()
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    assert root.find("text/body/termEntry/langSet/tig/term") is not None
    assert run_cli("glossary", "export", str(v3), "--tbx-version", "3").returncode == 0
    assert etree.parse(str(v3)).getroot().tag == "{urn:iso:std:iso:30042:ed-2}tbx"
    builtin = builtin_glossary()
    for path in (v2, v3):
        again = read_glossary(path)
        assert [(e.sources, e.target) for e in again] == [(e.sources, e.target) for e in builtin]
    wrong = run_cli("glossary", "export", str(tmp_path / "x.tbx"), "--tbx-version", "4")
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.tbx").exists()


# --- 11.7g: built-in news terms, and what extract proposes ----------------------------------------

@pytest.mark.parametrize("french, english", [
    ("Des ONG ont protesté.", "NGOs"), ("La CEDEAO a réagi.", "ECOWAS"), ("Le PAM a distribué.", "WFP"),
    ("L’UA a suspendu le Niger.", "AU"), ("Le Quai d’Orsay a réagi.", "Quai d'Orsay"),
    ("Selon la Charte des Nations unies, la force est interdite.", "UN Charter"),
    ("La Communauté économique des États de l’Afrique de l’Ouest a réagi.", "Economic Community of West African States"),
])
def test_builtin_news_terms(french, english):
    hits = builtin_glossary().matcher.find(french)
    assert len(hits) == 1
    target = hits[0].entry.target
    assert target == english or (hits[0].plural and english.startswith(target))


def test_extract_keeps_whole_names_and_drops_titles(tmp_path):
    result = run_cli("glossary", "extract", "--no-builtin", *map(str, NEWS))
    assert result.returncode == 0, result.stderr
    terms = [line.split("\t")[0] for line in result.stdout.splitlines()[1:]]
    assert "Communauté économique des États de l’Afrique de l’Ouest" in terms
    assert "États de l’Afrique de l’Ouest" not in terms
    assert "Kaja Kallas" in terms and not any(t.startswith(("Mme ", "M ")) for t in terms)
    assert not any(t.startswith(("À ", "Plusieurs ", "Finances")) for t in terms)
    known = run_cli("glossary", "extract", *map(str, NEWS))
    assert not {"CEDEAO", "ONG", "PAM", "UA", "Quai d’Orsay"} & {l.split("\t")[0] for l in known.stdout.splitlines()}


# --- 14.9: rows end at LF / CRLF only -------------------------------------------------------------

@pytest.mark.parametrize("breaker", ["\u2028", "\u0085", "\x0c", "\u2029", "\x1e"])
@pytest.mark.parametrize("kind", ["tsv", "csv"])
def test_unicode_line_separators_do_not_split_rows(tmp_path, breaker, kind):
    path = tmp_path / f"g.{kind}"
    if kind == "tsv":
        path.write_text(f"ONU\tUN\tsee{breaker}note\r\nOTAN\tNATO\n", encoding="utf-8")
    else:
        path.write_text(f"fr,en,note\nONU,UN,see{breaker}note\r\nOTAN,NATO,\n", encoding="utf-8")
    result = run_cli("glossary", "check", str(path))
    assert result.returncode == 0 and "OK, 2 entries" in result.stdout, result.stderr
    entries = read_glossary(path).entries
    assert [(e.sources, e.target, e.note) for e in entries] == [(("ONU",), "UN", f"see{breaker}note"), (("OTAN",), "NATO", "")]


# --- 14.12: entity references in TBX are refused --------------------------------------------------

ENTITY_TBX = """<?xml version="1.0"?>
<!DOCTYPE martif [
<!ENTITY net "NET">
<!ENTITY xxe SYSTEM "file:///etc/hostname">
]>
<martif type="TBX"><text><body>
<termEntry><langSet xml:lang="fr"><tig><term>LEAK&xxe;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>NET&net;</term></tig></langSet></termEntry>
</body></text></martif>
"""


def test_tbx_entities_are_refused(tmp_path, synthetic_package):
    tbx = tmp_path / "evil.tbx"
    tbx.write_text(ENTITY_TBX, encoding="utf-8")
    check = run_cli("glossary", "check", str(tbx))
    assert check.returncode == 2 and "OK" not in check.stdout
    assert re.fullmatch(r"[^\n]*evil\.tbx:7: entity reference &xxe;[^\n]*\n", check.stderr), check.stderr
    source = tmp_path / "a.fr.txt"
    source.write_text("Les LEAK ont parlé.\n", encoding="utf-8")
    run = run_cli("run", str(source), "--model", str(synthetic_package), "-o", str(tmp_path / "out"), "-g", str(tbx))
    assert run.returncode == 2 and "entity reference" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
