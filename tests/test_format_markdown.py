"""Markdown as a structured input (issue 13): units, byte-for-byte rebuild, structure kept under rewriting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from translate.document import InlineCode
from translate.errors import UserError
from translate.formats.markdown import FORMAT
from translate.formats.structured import ParsedFile, TextUnit, UnitTranslation

from support import need, run_cli

ARTICLE = """\
---
titre: "Sommet de l’OTAN : ce qu’il faut retenir"
date: 2026-07-09
tags: [défense, Europe]
---

# Sommet de l’OTAN à Vilnius : les alliés s’engagent

Les dirigeants de l’**OTAN** se sont réunis mardi à Vilnius pour *deux jours* de
discussions sur l’aide à l’Ukraine et sur la défense du flanc est.
Le secrétaire général a salué un sommet « historique ».

Contexte
--------

## Les principales annonces

Selon le [communiqué final](https://www.nato.int/cps/fr/natohq/official_texts.htm "Texte officiel du communiqué"),
les alliés visent désormais **2 % du PIB** pour la défense. Le texte est publié
sur <https://www.nato.int> et résumé dans le [dossier de presse][dossier].

![Les chefs d’État posent pour la photo de famille](images/photo-famille.jpg "Photo de famille à Vilnius")

1. Un nouveau plan de défense régional :
   - pour le **nord** de l’Europe ;
   - pour le ~~centre~~ sud-est.
2. Une aide de 500 millions d’euros,  
   versée dès cette année.

> Nous avons envoyé un message clair à Moscou : l’Alliance
> reste _unie_ et déterminée.
>
> — Le secrétaire général, lors de la conférence de presse

| Pays       | Dépenses (% du PIB) | Objectif atteint |
|------------|--------------------:|------------------|
| Pologne    | 3,9                 | oui              |
| France     | 1,9                 | pas encore       |
| Allemagne  | 1,6                 | non \\| en cours  |

Les montants marqués d’un astérisque (\\*) sont provisoires.

Pour reproduire le calcul, utilisez la commande `depenses --pays FR` :

```bash
# calcul des dépenses
depenses --pays FR --annee 2026
```

Ou bien le script suivant, indenté de quatre espaces :

    total = sum(budgets)
    print("Dépenses :", total)

<div class="encadre">Ce bloc HTML reste tel quel.</div>

---

Le prochain sommet aura lieu à Washington en 2027.

[dossier]: https://www.nato.int/presse "Dossier de presse"
"""

KEPT_VERBATIM = [
    '---\ntitre: "Sommet de l’OTAN : ce qu’il faut retenir"\ndate: 2026-07-09\ntags: [défense, Europe]\n---\n',
    "```bash\n# calcul des dépenses\ndepenses --pays FR --annee 2026\n```\n",
    '    total = sum(budgets)\n    print("Dépenses :", total)\n',
    '<div class="encadre">Ce bloc HTML reste tel quel.</div>\n\n---\n',
    '[dossier]: https://www.nato.int/presse "Dossier de presse"\n',
    "|------------|--------------------:|------------------|\n",
    "(https://www.nato.int/cps/fr/natohq/official_texts.htm ",
    "<https://www.nato.int>",
    "`depenses --pays FR`",
    "(images/photo-famille.jpg ",
]


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _read(text: str = ARTICLE) -> ParsedFile:
    return FORMAT.read(text.encode("utf-8"), Path("notes.fr.md"))


def _write(parsed: ParsedFile, translations: list[UnitTranslation]) -> str:
    return FORMAT.write(parsed, translations, "en").decode("utf-8")


def _unit(parsed: ParsedFile, starting: str) -> TextUnit:
    return next(u for u in parsed.units if u.text.startswith(starting))


def _structure(text: str) -> list[tuple]:
    """The block token sequence: type, tag, nesting, level, hidden (tight lists), fence info."""
    return [(t.type, t.tag, t.nesting, t.level, t.hidden, t.info) for t in _parser().parse(text)]


def _verbatim_blocks(text: str) -> list[str]:
    return [t.content for t in _parser().parse(text) if t.type in ("fence", "code_block", "html_block")]


def _inline(text: str) -> list[Token]:
    return [child for t in _parser().parse(text) if t.type == "inline" for child in _flatten(t.children or [])]


def _flatten(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        if token.type == "image":
            out += _flatten(token.children or [])
    return out


def _targets(text: str) -> list[tuple[str, str]]:
    return [(t.type, t.attrGet("href") or t.attrGet("src") or "") for t in _inline(text)
            if t.type in ("link_open", "image")]


def _wrapped(text: str, opener: str) -> list[str]:
    """The plain text inside each `opener` … its close in the parsed text (emphasis, links)."""
    found, depth, current = [], 0, []
    closer = opener.replace("_open", "_close")
    for token in _inline(text):
        if token.type == opener:
            depth, current = depth + 1, []
        elif token.type == closer:
            depth -= 1
            found.append(" ".join("".join(current).split()))
        elif depth and token.type in ("text", "code_inline"):
            current.append(token.content)
        elif depth and token.type in ("softbreak", "hardbreak"):
            current.append(" ")
    return found


def _identity(unit: TextUnit) -> UnitTranslation:
    return UnitTranslation(unit.text, list(unit.codes))


def _upper(unit: TextUnit) -> UnitTranslation:
    assert len(unit.text.upper()) == len(unit.text)
    return UnitTranslation(unit.text.upper(), list(unit.codes))


def _reversed_words(unit: TextUnit) -> UnitTranslation:
    """Words in reverse order; each code follows the characters it stood by (a pair spans its words)."""
    return _move_words(unit, lambda words: [(w, True) for w in reversed(words)])


def _doubled_words(unit: TextUnit) -> UnitTranslation:
    """Each word twice (a longer English); codes follow the first copy."""
    return _move_words(unit, lambda words: [pair for w in words for pair in ((w, True), (w, False))])


def _move_words(unit: TextUnit, arrange) -> UnitTranslation:
    """An English made of the unit's words as `arrange` orders them (each word with whether its
    characters carry the codes); every code follows the characters it stood by, a pair spans its words."""
    text = unit.text
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    moved: dict[int, int] = {}
    pieces, cursor = [], 0
    for (start, end), carries in arrange(words):
        if pieces:
            cursor += 1
        if carries:
            for k in range(start, end):
                moved[k] = cursor + k - start
        pieces.append(text[start:end])
        cursor += end - start
    english = " ".join(pieces)

    def at(position: int) -> int:
        following = [moved[k] for k in range(position, len(text)) if k in moved][:1]
        return following[0] if following else len(english)

    placed: list[tuple[tuple, InlineCode]] = []
    closes = {c.id: c for c in unit.codes if c.kind == "close"}
    for code in unit.codes:
        if code.kind == "isolated":
            placed.append(((at(code.position), 1, 0), code.at(at(code.position))))
        elif code.kind == "open":
            inside = [moved[k] for k in range(code.position, closes[code.id].position) if k in moved]
            start, end = (min(inside), max(inside) + 1) if inside else (at(code.position),) * 2
            placed.append(((start, 2, -(end - start)), code.at(start)))
            placed.append(((end, 0, end - start), closes[code.id].at(end)))
    return UnitTranslation(english, [code for _, code in sorted(placed, key=lambda p: p[0])])


# --- reading ---------------------------------------------------------------------------------------------


def test_units_hold_the_text_and_codes_hold_the_markup():
    parsed = _read()
    otan = _unit(parsed, "Les dirigeants")
    assert otan.text == ("Les dirigeants de l’OTAN se sont réunis mardi à Vilnius pour deux jours de discussions "
                         "sur l’aide à l’Ukraine et sur la défense du flanc est. Le secrétaire général a salué "
                         "un sommet « historique ».")
    first, last = otan.codes[0], otan.codes[1]
    assert (first.kind, first.data, last.kind, last.data) == ("open", "**", "close", "**")
    assert otan.text[first.position:last.position] == "OTAN"
    em = [c for c in otan.codes if c.data == "*"]
    assert otan.text[em[0].position:em[1].position] == "deux jours"

    links = _unit(parsed, "Selon le")
    assert "http" not in links.text and "dossier]" not in links.text
    by_data = {c.data: c for c in links.codes}
    close = by_data['](https://www.nato.int/cps/fr/natohq/official_texts.htm "Texte officiel du communiqué")']
    opener = next(c for c in links.codes if c.id == close.id and c.kind == "open")
    assert (opener.data, links.text[opener.position:close.position]) == ("[", "communiqué final")
    assert by_data["<https://www.nato.int>"].kind == "isolated"
    assert by_data["][dossier]"].kind == "close"

    code = _unit(parsed, "Pour reproduire").codes
    assert [(c.kind, c.data) for c in code] == [("isolated", "`depenses --pays FR`")]

    texts = [u.text for u in parsed.units]
    for expected in ("Contexte", "Les principales annonces", "Texte officiel du communiqué",
                     "Les chefs d’État posent pour la photo de famille", "Photo de famille à Vilnius",
                     "pour le nord de l’Europe ;", "Une aide de 500 millions d’euros, versée dès cette année.",
                     "— Le secrétaire général, lors de la conférence de presse",
                     "Pays", "Dépenses (% du PIB)", "3,9", "pas encore", "non  en cours",
                     "Les montants marqués d’un astérisque (*) sont provisoires."):
        assert expected in texts
    for kept in ("titre", "depenses --pays FR --annee", "total = sum", "Ce bloc HTML", "Dossier de presse",
                 "nato.int", "---", "```"):
        assert not any(kept in t for t in texts), kept
    assert [(c.kind, c.data) for c in _unit(parsed, "non  en cours").codes] == [("isolated", "\\|")]  # table markup
    hard = _unit(parsed, "Une aide").codes
    assert [(c.kind, c.data) for c in hard] == [("isolated", "  \n")]


def test_every_code_sits_inside_its_text_and_pairs_are_ordered():
    for unit in _read().units:
        seen: set[int] = set()
        for code in unit.codes:
            assert 0 <= code.position <= len(unit.text)
            if code.kind == "close":
                assert code.id in seen
            seen.add(code.id)


def test_sniff_accepts_any_text_and_refuses_what_is_clearly_something_else():
    """Prose is Markdown too: the `.md` suffix decides; sniffing only rules out documents of other kinds."""
    assert ".md" in FORMAT.suffixes and ".markdown" in FORMAT.suffixes
    assert FORMAT.sniff(ARTICLE.encode("utf-8"))
    assert FORMAT.sniff("Le sommet s’est tenu à Vilnius.\n\nLes alliés ont signé.\n".encode("utf-8"))
    assert FORMAT.sniff("Été à Vilnius.\n".encode("cp1252"))
    assert FORMAT.sniff('<p align="center"><img src="logo.png"></p>\n\n# Projet\n'.encode("utf-8"))
    for other in (b"<!DOCTYPE html><html><body><h1>Titre</h1></body></html>", b'<?xml version="1.0"?><xliff/>',
                  b"%PDF-1.7\n", b"PK\x03\x04\x14\x00", b"\x89PNG\r\n\x1a\n", b"texte\x00binaire"):
        assert not FORMAT.sniff(other), other


def test_a_binary_file_is_refused_with_one_line():
    with pytest.raises(UserError, match="binary"):
        FORMAT.read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Path("image.fr.md"))


CORNER_CASES = [
    "Ligne\tavec tabulation et *emphase*.\n",
    "> > Citation imbriquée\n> > sur deux lignes\n> suite paresseuse\n",
    "- élément un\n\n  paragraphe indenté\n  sur deux lignes\n\n- élément deux\nparesseux\n",
    "Titre sur\ndeux lignes\n===\n",
    "## Titre fermé ##\n",
    "#    Titre espacé    #   \n",
    "Entité &amp; &eacute;t&eacute; &#233;\n",
    "Rupture avec barre\\\nligne suivante\n",
    "Code ``avec ` accent`` ici et `` `a` `` là.\n",
    "Lien [vers <x>](<https://a.b/c d> 'titre simple') et [autre](https://x.y (titre entre parenthèses)).\n",
    "Lien [sur deux](https://a.b\n\"titre\") lignes.\n",
    "Image liée [![texte alt](img.png)](https://x.y) fin.\n",
    "Texte <span class=\"x\">en ligne</span> et <br/> fin.\n",
    "Gras ***très fort*** et **gras *italique* gras** et __souligné__.\n",
    "-\n- \n- plein\n",
    "Pays | Valeur\n--- | ---\nFrance | `a|b` \\| c\n",
    "> | A | B |\n> |---|---|\n> | un | deux |\n",
    "![réf][img]\n\n[img]: x.png \"Titre de réf\"\n",
    "Courriel <jean@exemple.fr> ici.\n",
    "3. trois\n4. quatre\n",
    "* * *\n\nTexte après.\n",
    "<!-- commentaire -->\n\nTexte.\n",
    "Fin avec barre oblique\\\n",
    "  Paragraphe indenté de deux espaces\n  sur deux lignes.\n",
    "1. Liste\n   > citation dans liste\n   > suite\n",
    "Texte  \n",
    "Mot_avec_soulignés et 2*3*4.\n",
    "[lien **gras**](u) et [vide]() fin.\n",
    "Paragraphe\n    continué avec indentation.\n",
    "| a |\n|---|\n| b |\n| c | d |\n",
    "|a|b|\n|-|-|\n|x|\n",
    "Texte avec nbsp\u00a0: « bien » ; fin\u00a0\n",
    "```\nnon fermé\n",
    "Titre\n---\n\ntexte\n",
    "- [ ] tâche à faire\n- [x] tâche faite\n",
    "Texte **non fermé et *aussi.\n",
    "\\# pas un titre\n",
    "[a]: /u\n[a]\n",
    "+++\ntitle = \"Sommet\"\n+++\n\nTexte.\n",
    "Voir la note[^1] et [^note-2].\n\n[^1]: Texte de la note.\n\n> [!NOTE]\n> Attention.\n",
]
"""Markdown that tests the mapping of tokens onto the source: tabs, nested containers, lazy lines, setext
headings, closing #s, entities, backslash breaks, code spans with backticks, link forms, tables."""


@pytest.mark.parametrize("case", CORNER_CASES)
def test_corner_cases_round_trip_and_keep_their_structure(case: str):
    parsed = _read(case)
    assert not parsed.warnings
    assert _write(parsed, [_identity(u) for u in parsed.units]) == case
    for rewrite in (_upper, _reversed_words):
        assert _structure(_write(parsed, [rewrite(u) for u in parsed.units])) == _structure(case)


def test_task_list_boxes_and_inline_html_stay_where_they_were():
    parsed = _read("- [ ] tâche à faire\n- [x] tâche faite\n\nLien [vers <x>](u) ici.\n")
    assert [u.text for u in parsed.units] == ["tâche à faire", "tâche faite", "Lien vers  ici."]
    output = _write(parsed, [_upper(u) for u in parsed.units])
    assert output == "- [ ] TÂCHE À FAIRE\n- [x] TÂCHE FAITE\n\nLIEN [VERS <x>](u) ICI.\n"


def test_a_rule_opening_the_text_is_not_front_matter():
    parsed = _read("---\n\nPremier paragraphe.\n\n---\n\nSecond.\n")
    assert [u.text for u in parsed.units] == ["Premier paragraphe.", "Second."]
    parsed = _read("---\ntitre: Sommet\n---\n\nTexte.\n")
    assert [u.text for u in parsed.units] == ["Texte."]


def test_footnote_and_alert_marks_are_codes_not_escaped_text():
    parsed = _read("Voir la note[^1].\n\n[^1]: Texte de la note.\n\n> [!NOTE]\n> Attention.\n")
    assert [u.text for u in parsed.units] == ["Voir la note.", "Texte de la note.", " Attention."]
    assert [c.data for u in parsed.units for c in u.codes] == ["[^1]", "[^1]: ", "[!NOTE]"]
    output = _write(parsed, [_upper(u) for u in parsed.units])
    assert output == "VOIR LA NOTE[^1].\n\n[^1]: TEXTE DE LA NOTE.\n\n> [!NOTE]\n> ATTENTION.\n"


# --- writing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("newline,bom", [("\n", b""), ("\r\n", b"\xef\xbb\xbf")])
def test_identity_translation_gives_the_file_back_byte_for_byte(newline: str, bom: bytes):
    data = bom + ARTICLE.replace("\n", newline).encode("utf-8")
    parsed = FORMAT.read(data, Path("notes.fr.md"))
    assert len(parsed.units) > 25 and not parsed.warnings
    assert FORMAT.write(parsed, [_identity(u) for u in parsed.units], "en") == data


@pytest.mark.parametrize("rewrite", [_upper, _reversed_words], ids=["upper", "reversed"])
def test_rewritten_english_keeps_structure_code_and_urls(rewrite):
    parsed = _read()
    output = _write(parsed, [rewrite(u) for u in parsed.units])
    assert output != ARTICLE
    assert _structure(output) == _structure(ARTICLE)
    assert _verbatim_blocks(output) == _verbatim_blocks(ARTICLE)
    assert sorted(_targets(output)) == sorted(_targets(ARTICLE))
    for kept in KEPT_VERBATIM:
        assert kept in output, kept
    assert output.startswith(KEPT_VERBATIM[0])
    assert re.search(r"\S {2,}\n   \S", output)  # the hard break, then the list item's indentation
    assert [t.type for t in _inline(output)].count("hardbreak") == 1


def test_uppercase_english_lands_inside_the_same_markup():
    parsed = _read()
    output = _write(parsed, [_upper(u) for u in parsed.units])
    assert "L’**OTAN**" in output
    assert _wrapped(output, "strong_open") == ["OTAN", "2 % DU PIB", "NORD"]
    assert _wrapped(output, "em_open") == ["DEUX JOURS", "UNIE"]
    assert _wrapped(output, "s_open") == ["CENTRE"]
    assert _wrapped(output, "link_open") == ["COMMUNIQUÉ FINAL", "https://www.nato.int", "DOSSIER DE PRESSE"]
    images = [t for t in _inline(output) if t.type == "image"]
    assert "".join(c.content for c in images[0].children) == "LES CHEFS D’ÉTAT POSENT POUR LA PHOTO DE FAMILLE"
    assert images[0].attrGet("title") == "PHOTO DE FAMILLE À VILNIUS"
    links = [t for t in _inline(output) if t.type == "link_open"]
    assert links[0].attrGet("title") == "TEXTE OFFICIEL DU COMMUNIQUÉ"
    assert "| ALLEMAGNE  | 1,6                 | NON \\| EN COURS  |" in output
    assert "ASTÉRISQUE (\\*) SONT" in output
    assert "COMMANDE `depenses --pays FR` :" in output


def test_reversed_words_carry_their_markup_along():
    parsed = _read()
    output = _write(parsed, [_reversed_words(u) for u in parsed.units])
    assert "l’**OTAN**" in output
    assert _wrapped(output, "strong_open") == ["OTAN", "PIB du % 2", "nord"]
    assert _wrapped(output, "em_open") == ["jours deux", "unie"]
    assert _wrapped(output, "s_open") == ["centre"]
    assert sorted(_wrapped(output, "link_open")) == ["final, communiqué", "https://www.nato.int", "presse. de dossier"]
    cells = [t.content for t in _parser().parse(output) if t.type == "inline"]
    assert "cours | en non" in cells and "encore pas" in cells


def test_a_hard_wrapped_paragraph_is_one_unit_rewrapped_at_its_width():
    parsed = _read()
    output = _write(parsed, [_doubled_words(u) for u in parsed.units])
    assert _structure(output) == _structure(ARTICLE)
    lines = output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("> Nous Nous avons avons"))
    quote = lines[start:lines.index(">", start)]
    assert len(quote) == 4 and all(line.startswith("> ") for line in quote)
    width = len("> Nous avons envoyé un message clair à Moscou : l’Alliance")
    assert max(len(line) for line in quote) <= width < max(len(line) for line in quote) + len(" message")
    assert "> l’Alliance reste reste _unie_ unie et et déterminée." in quote
    heading = next(line for line in lines if line.startswith("# "))
    assert heading.startswith("# Sommet Sommet de de") and len(heading) > 80  # one line stays one line
    assert "\nLes Les dirigeants dirigeants de de l’**OTAN** l’OTAN se se" in output
    assert _wrapped(output, "strong_open") == ["OTAN", "2 2 % % du du PIB", "nord"]


def test_english_that_looks_like_markdown_is_escaped():
    parsed = _read()
    tricky = {
        "Les dirigeants": "1. not a list * not emphasis _x_ [not a link](x) <b>not html</b> &amp; `not code` "
                          "# not a heading - not an item and a very long line that must wrap somewhere "
                          "- then this\n# and that",
        "Pologne": "Poland | Warsaw",
        "Contexte": "Background ###",
        "Les chefs": "A *starred* [alt] text",
    }
    translations = []
    for unit in parsed.units:
        english = next((v for k, v in tricky.items() if unit.text.startswith(k)), None)
        translations.append(UnitTranslation(english, []) if english else _identity(unit))
    output = _write(parsed, translations)
    assert _structure(output) == _structure(ARTICLE)
    inline = [t for t in _parser().parse(output) if t.type == "inline"]
    texts = ["".join(c.content if c.type != "softbreak" else " " for c in t.children or []) for t in inline]
    assert " ".join(tricky["Les dirigeants"].split()) in texts
    assert "Poland | Warsaw" in texts
    images = [t for t in _inline(output) if t.type == "image"]
    assert "".join(c.content for c in images[0].children) == "A *starred* [alt] text"


def test_a_shorter_cell_keeps_the_pipes_of_its_column_aligned():
    parsed = _read("| Pays      | Objectif |\n|-----------|----------|\n| Allemagne | non      |\n")
    english = {"Pays": "Country", "Objectif": "Target", "Allemagne": "Germany", "non": "no"}
    output = _write(parsed, [UnitTranslation(english[u.text], []) for u in parsed.units])
    assert output == "| Country   | Target   |\n|-----------|----------|\n| Germany   | no       |\n"


def test_empty_english_keeps_the_french_and_dropped_words_drop_their_emphasis():
    parsed = _read()
    translations = []
    for unit in parsed.units:
        if unit.text.startswith("Les dirigeants"):
            translations.append(UnitTranslation("NATO leaders met.", [c.at(0) for c in unit.codes]))
        elif unit.text.startswith("Pays"):
            translations.append(UnitTranslation("", [c.at(0) for c in unit.codes]))
        else:
            translations.append(_identity(unit))
    output = _write(parsed, translations)
    assert "\nNATO leaders met.\n" in output and "****" not in output
    assert "| Pays       |" in output
    assert _structure(output) == _structure(ARTICLE)


def test_spaces_inside_emphasis_move_out_so_it_still_closes():
    parsed = _read("Les dirigeants de l’**OTAN** se sont réunis.\n")
    unit = parsed.units[0]
    english = "The leaders of NATO met."
    codes = [unit.codes[0].at(english.index("NATO")), unit.codes[1].at(english.index("NATO") + 5)]
    output = _write(parsed, [UnitTranslation(english, codes)])
    assert output == "The leaders of **NATO** met.\n"
    assert _wrapped(output, "strong_open") == ["NATO"]


def test_underscore_emphasis_inside_a_word_becomes_stars():
    parsed = _read("Une _belle_, victoire.\n")
    unit = parsed.units[0]
    output = _write(parsed, [UnitTranslation("A greatvictory.", [unit.codes[0].at(2), unit.codes[1].at(7)])])
    assert output == "A *great*victory.\n"
    assert _wrapped(output, "em_open") == ["great"]


def test_a_code_that_stood_between_words_stays_apart_from_them():
    """Engines squeeze `sur <url> et` (two spaces around the code in the plain text) to one space, and the
    code lands against a word: the writer gives it back the space it had in the French."""
    parsed = _read("Publié sur <https://www.nato.int> et la commande `depenses` :\n")
    unit = parsed.units[0]
    assert unit.text == "Publié sur  et la commande  :"
    english = "Published on and the command:"
    codes = [unit.codes[0].at(english.index(" and")), unit.codes[1].at(len(english) - 1)]
    output = _write(parsed, [UnitTranslation(english, codes)])
    assert output == "Published on <https://www.nato.int> and the command `depenses`:\n"


# --- end to end: translate run notes.fr.md ----------------------------------------------------------------


def _run_article(tmp_path: Path, *options: str) -> tuple[str, Path]:
    source = tmp_path / "notes.fr.md"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("run", str(source), "-o", str(out), *options)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.en.md", "notes.fr-en.jsonl", "notes.fr-en.tmx",
                                                     "notes.fr-en.tsv", "notes.qa.tsv"]
    return (out / "notes.en.md").read_text(encoding="utf-8"), out


def _same_skeleton(output: str) -> None:
    assert _structure(output) == _structure(ARTICLE)
    assert _verbatim_blocks(output) == _verbatim_blocks(ARTICLE)
    assert _targets(output) == _targets(ARTICLE)
    for kept in KEPT_VERBATIM:
        assert kept in output, kept


def test_run_with_the_copy_model_puts_every_code_back_at_its_place(tmp_path: Path, synthetic_package: Path):
    """The synthetic model's English is the French, so every code must come back exactly where it was
    (only English typography changes: `2 %` → `2%`, ` :` → `:`, « » → “ ”)."""
    output, out = _run_article(tmp_path, "--model", str(synthetic_package), "--no-default-glossary")
    _same_skeleton(output)
    assert "Les dirigeants de l’**OTAN** se sont réunis mardi à Vilnius pour *deux jours* de\n" in output
    assert _wrapped(output, "strong_open") == ["OTAN", "2% du PIB", "nord"]
    assert _wrapped(output, "em_open") == ["deux jours", "unie"]
    assert _wrapped(output, "s_open") == ["centre"]
    assert _wrapped(output, "link_open") == ["communiqué final", "https://www.nato.int", "dossier de presse"]
    assert "publié sur <https://www.nato.int> et résumé dans le [dossier" in output
    assert "utilisez la commande `depenses --pays FR`:\n" in output
    assert "d’euros,  \n   versée dès cette année.\n" in output
    assert "> reste _unie_ et déterminée.\n" in output
    assert "| Allemagne  | 1,6                 | non \\| en cours  |\n" in output
    images = [t for t in _inline(output) if t.type == "image"]
    assert "".join(c.content for c in images[0].children) == "Les chefs d’État posent pour la photo de famille"
    tsv = (out / "notes.fr-en.tsv").read_text(encoding="utf-8")
    assert "**" not in tsv and "](" not in tsv and "`" not in tsv
    assert "\nLes dirigeants de l’OTAN se sont réunis mardi à Vilnius pour deux jours de discussions" in tsv
    from lxml import etree
    assert len(etree.parse(str(out / "notes.fr-en.tmx")).findall(".//tu")) == len(tsv.splitlines()) - 1


def test_run_with_apertium_translates_the_text_and_keeps_the_markdown(tmp_path: Path):
    """The issue's case: `l’**OTAN**` came out as `NATO**`; the glossary term keeps its emphasis now."""
    from translate.engines.apertium import apertium_status

    need(*apertium_status())
    output, _ = _run_article(tmp_path, "--engine", "apertium")
    _same_skeleton(output)
    assert "**NATO**" in output and "NATO**" not in output.replace("**NATO**", "")
    lines = output.splitlines()
    assert lines[6].startswith("# ") and "Vilnius" in lines[6] and "Sommet" not in lines[6]
    assert "Les dirigeants" not in output and "leaders" in output
    assert len(_wrapped(output, "strong_open")) == 3 and len(_wrapped(output, "em_open")) == 2
    cells = [t.content for t in _parser().parse(output) if t.type == "inline"]
    assert "Poland" in cells and "Germany" in cells
    assert "| Poland     |" in output  # the cell is padded back to its column


def test_a_md_file_that_is_something_else_is_refused_in_one_line(tmp_path: Path):
    source = tmp_path / "notes.fr.md"
    source.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    result = run_cli("run", str(source), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "PDF" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
