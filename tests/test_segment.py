"""Tests for translate.segment: a table of tricky French and English paragraphs, losslessness, documents."""

from __future__ import annotations

import random

import pytest

from translate.errors import UserError
from translate.segment import (
    RULES,
    break_decisions,
    is_translatable,
    line_continues,
    segment_document,
    split_sentences,
)

NB = "\u00a0"  # no-break space
NNB = "\u202f"  # narrow no-break space

# (id, paragraph, expected sentences)
FRENCH_CASES: list[tuple[str, str, list[str]]] = [
    ("plain", "Il pleut. Nous restons.", ["Il pleut.", "Nous restons."]),
    ("single", "Il pleut sur Lyon.", ["Il pleut sur Lyon."]),
    ("no-final-punct", "Il pleut. Nous restons", ["Il pleut.", "Nous restons"]),
    ("m-title", "M. Dupont est arrivé. Il pleut.", ["M. Dupont est arrivé.", "Il pleut."]),
    ("mm-title", "MM. Durand et Martin sont venus.", ["MM. Durand et Martin sont venus."]),
    ("m-nbsp", f"M.{NB}Dupont parle.", [f"M.{NB}Dupont parle."]),
    ("m-de", "M. de Villepin a parlé. Puis il est parti.", ["M. de Villepin a parlé.", "Puis il est parti."]),
    ("mme", "Mme Martin et Mlle Roux arrivent. Elles sourient.",
     ["Mme Martin et Mlle Roux arrivent.", "Elles sourient."]),
    ("dr-dotted", "Le Dr. Martin consulte. Pr. Bernard aussi.", ["Le Dr. Martin consulte.", "Pr. Bernard aussi."]),
    ("me-maitre", "Me. Lefèvre plaide demain.", ["Me. Lefèvre plaide demain."]),
    ("st-ste", "Il va à St. Malo puis à Ste. Maxime.", ["Il va à St. Malo puis à Ste. Maxime."]),
    ("cf", "Voir la note (cf. Dupont, 2010). Elle est claire.",
     ["Voir la note (cf. Dupont, 2010).", "Elle est claire."]),
    ("p-number", "Voir p. 12. Merci.", ["Voir p. 12.", "Merci."]),
    ("pp-range", "Voir pp. 12-15 et vol. 3. La suite est ailleurs.",
     ["Voir pp. 12-15 et vol. 3.", "La suite est ailleurs."]),
    ("chap-art", "Le chap. 4 cite l'art. L. 121-1 du Code. Il est long.",
     ["Le chap. 4 cite l'art. L. 121-1 du Code.", "Il est long."]),
    ("art-word", "J'aime l'art. Elle aussi.", ["J'aime l'art.", "Elle aussi."]),
    ("numero", "Le n° 5 gagne. Le no. 6 perd.", ["Le n° 5 gagne.", "Le no. 6 perd."]),
    ("etc-lower", "Pommes, poires, etc. sont en vente.", ["Pommes, poires, etc. sont en vente."]),
    ("etc-upper", "Pommes, poires, etc. Le marché ferme tôt.",
     ["Pommes, poires, etc.", "Le marché ferme tôt."]),
    ("etc-end", "Il a acheté du pain, du vin, etc.", ["Il a acheté du pain, du vin, etc."]),
    ("etc-paren", "Des fruits (pommes, etc.) et du pain.", ["Des fruits (pommes, etc.) et du pain."]),
    ("av-jc", "En 52 av. J.-C. César assiège Alésia.", ["En 52 av. J.-C.", "César assiège Alésia."]),
    ("apr-jc", "Rome brûle en 64 apr. J.-C. et Néron accuse.", ["Rome brûle en 64 apr. J.-C. et Néron accuse."]),
    ("env", "Il y avait env. 300 personnes. Env. Le tiers est resté.",
     ["Il y avait env. 300 personnes.", "Env.", "Le tiers est resté."]),
    ("cie", "Il travaille chez Durand et Cie. La société recrute.",
     ["Il travaille chez Durand et Cie.", "La société recrute."]),
    ("initials", "J. K. Rowling écrit. Il lit.", ["J. K. Rowling écrit.", "Il lit."]),
    ("hyphen-initials", "J.-P. Sartre publie La Nausée. Le livre plaît.",
     ["J.-P. Sartre publie La Nausée.", "Le livre plaît."]),
    ("initial-le", "J.-M. Le Pen a parlé.", ["J.-M. Le Pen a parlé."]),
    ("initial-end", "Il manque de vitamine C. Elle est fatiguée.", ["Il manque de vitamine C.", "Elle est fatiguée."]),
    ("acronym-starter", "Il vit aux U.S.A. Il aime ça.", ["Il vit aux U.S.A.", "Il aime ça."]),
    ("acronym-name", "Le siège de l'O.N.U. New York accueille le sommet.",
     ["Le siège de l'O.N.U. New York accueille le sommet."]),
    ("acronym-lower", "L'O.N.U. a voté. La France aussi.", ["L'O.N.U. a voté.", "La France aussi."]),
    ("decimal-comma", "Le taux est de 3,5 %. Il baisse.", ["Le taux est de 3,5 %.", "Il baisse."]),
    ("decimal-dot", "La version 3.5 sort. Elle est stable.", ["La version 3.5 sort.", "Elle est stable."]),
    ("thousands-space", "Ils sont 10 000. La foule grandit.", ["Ils sont 10 000.", "La foule grandit."]),
    ("thousands-nbsp", f"Il y a 10{NB}000 manifestants. On compte 2{NNB}500 policiers.",
     [f"Il y a 10{NB}000 manifestants.", f"On compte 2{NNB}500 policiers."]),
    ("ellipsis-final", "Il hésita… Puis il partit.", ["Il hésita…", "Puis il partit."]),
    ("ellipsis-mid", "Il hésita… puis partit.", ["Il hésita… puis partit."]),
    ("dots-final", "Il attendit... Rien ne vint.", ["Il attendit...", "Rien ne vint."]),
    ("dots-mid", "Il attendit... et rien ne vint.", ["Il attendit... et rien ne vint."]),
    ("elision-mark", "Il écrit : « Je pars […] Nous verrons. »", ["Il écrit : « Je pars […] Nous verrons. »"]),
    ("quote-end-inside", "« Il part. » Elle reste.", ["« Il part. »", "Elle reste."]),
    ("quote-end-outside", "« Il part ». Elle reste.", ["« Il part ».", "Elle reste."]),
    ("quote-nbsp", f"«{NB}Il part.{NB}» Elle reste.", [f"«{NB}Il part.{NB}»", "Elle reste."]),
    ("quote-question-incise", f"«{NB}Tu viens{NB}?{NB}» demanda-t-il.", [f"«{NB}Tu viens{NB}?{NB}» demanda-t-il."]),
    ("quote-comma", "« Non ! », dit-elle. Il rit.", ["« Non ! », dit-elle.", "Il rit."]),
    ("quote-opens", "Il se tut. « Partons », dit-elle.", ["Il se tut.", "« Partons », dit-elle."]),
    ("curly-quotes", "“Il part.” Elle reste.", ["“Il part.”", "Elle reste."]),
    ("quote-two-inside", "« Il part. Elle reste. » Fin.", ["« Il part.", "Elle reste. »", "Fin."]),
    ("nbsp-question", f"Vraiment{NB}? Oui{NNB}! Alors partons{NB}; vite.",
     [f"Vraiment{NB}?", f"Oui{NNB}!", f"Alors partons{NB}; vite."]),
    ("colon-nbsp", f"Il a dit{NB}: rien. Puis il est parti.", [f"Il a dit{NB}: rien.", "Puis il est parti."]),
    ("dialogue", "— Bonjour ! — Salut.", ["— Bonjour !", "— Salut."]),
    ("dialogue-incise", "— Bonjour, dit-il. — Salut, répondit-elle.", ["— Bonjour, dit-il.", "— Salut, répondit-elle."]),
    ("url", "Voir https://www.example.org/a.b?c=1 pour la suite. Merci.",
     ["Voir https://www.example.org/a.b?c=1 pour la suite.", "Merci."]),
    ("url-final", "Tout est sur https://www.example.org/a.b?c=1. Bonne lecture.",
     ["Tout est sur https://www.example.org/a.b?c=1.", "Bonne lecture."]),
    ("email", "Écrivez à jean.dupont@exemple.fr. Il répondra.", ["Écrivez à jean.dupont@exemple.fr.", "Il répondra."]),
    ("list-dot", "1. Premier point. 2. Second point.", ["1. Premier point.", "2. Second point."]),
    ("list-after-colon", "Deux étapes : 1. Couper. 2. Cuire.", ["Deux étapes : 1. Couper.", "2. Cuire."]),
    ("list-paren", "2) Deuxième point du débat", ["2) Deuxième point du débat"]),
    ("list-roman", "IV. Les résultats", ["IV. Les résultats"]),
    ("number-final", "Il est né en 1990. Elle en 1992.", ["Il est né en 1990.", "Elle en 1992."]),
    ("heading", "Les résultats du premier trimestre", ["Les résultats du premier trimestre"]),
    ("interrobang", f"Tu pars{NB}?! Je reste.", [f"Tu pars{NB}?!", "Je reste."]),
    ("spaced-interrobang", f"Tu pars{NB}?{NB}! Je reste.", [f"Tu pars{NB}?{NB}!", "Je reste."]),
    ("exclamations", "Incroyable !!! Il a gagné.", ["Incroyable !!!", "Il a gagné."]),
    ("paren-sentence", "Il est parti. (Il reviendra demain.) Elle reste.",
     ["Il est parti.", "(Il reviendra demain.)", "Elle reste."]),
    ("paren-then-period", "Il est parti (hier). Elle reste.", ["Il est parti (hier).", "Elle reste."]),
    ("bracket-end", "Le texte [sic.] Rien de plus.", ["Le texte [sic.]", "Rien de plus."]),
    ("times", "Rendez-vous à 14 h 30. Ne soyez pas en retard.", ["Rendez-vous à 14 h 30.", "Ne soyez pas en retard."]),
    ("hour-end", "Il arrive à 14 h. Nous partirons ensuite.", ["Il arrive à 14 h.", "Nous partirons ensuite."]),
    ("ordinals", "Le 1er mai tombe un lundi. Au XXe s. les fêtes changent.",
     ["Le 1er mai tombe un lundi.", "Au XXe s. les fêtes changent."]),
    ("siecle-end", "Il date du XVe s. Il est fragile.", ["Il date du XVe s.", "Il est fragile."]),
    ("nb", "N.B. Le musée est fermé le lundi.", ["N.B. Le musée est fermé le lundi."]),
    ("ps", "À bientôt. P.-S. Je t'embrasse.", ["À bientôt.", "P.-S. Je t'embrasse."]),
    ("roman-king", "Louis XIV. Il régna longtemps.", ["Louis XIV.", "Il régna longtemps."]),
    ("months", "Le 12 sept. 2023, il pleuvait. Depuis sept. Il fait beau.",
     ["Le 12 sept. 2023, il pleuvait.", "Depuis sept.", "Il fait beau."]),
    ("no-space", "Il part.Elle reste.", ["Il part.Elle reste."]),
    ("ellipsis-after-initial", "Il cherche la vitamine C… Jean la trouve.",
     ["Il cherche la vitamine C…", "Jean la trouve."]),
    ("quote-after-acronym", "Il vit aux U.S.A. « Ici tout est grand », dit-il.",
     ["Il vit aux U.S.A.", "« Ici tout est grand », dit-il."]),
    ("metadata", "date 2023-09 Washington a intensifié ses efforts en Asie",
     ["date 2023-09", "Washington a intensifié ses efforts en Asie"]),
    ("metadata-full-date", "date 2023-09-14 Le sommet s'ouvre. Il dure deux jours.",
     ["date 2023-09-14", "Le sommet s'ouvre.", "Il dure deux jours."]),
    ("read-more", "En savoir plus Un coup de poignard dans le « ventre mou » : comment Kiev avance",
     ["En savoir plus", "Un coup de poignard dans le « ventre mou » : comment Kiev avance"]),
    ("read-more-mid", "Le front bouge. En savoir plus Un coup de poignard dans le dos",
     ["Le front bouge.", "En savoir plus", "Un coup de poignard dans le dos"]),
    ("lire-aussi", "Lire aussi : La Maison Blanche veut renforcer ses liens",
     ["Lire aussi :", "La Maison Blanche veut renforcer ses liens"]),
    ("lire-aussi-prose", "Il faut lire aussi Proust.", ["Il faut lire aussi Proust."]),
    ("question-lower", "Qui sait ? personne ne répond.", ["Qui sait ? personne ne répond."]),
    ("percent-after", "Le taux monte de 3. % reste stable.", ["Le taux monte de 3. % reste stable."]),
]

ENGLISH_CASES: list[tuple[str, str, list[str]]] = [
    ("plain", "It rains. We stay.", ["It rains.", "We stay."]),
    ("mr-mrs", "Mr. and Mrs. Smith arrived. They sat down.", ["Mr. and Mrs. Smith arrived.", "They sat down."]),
    ("dr", "Dr. Watson called. He was late.", ["Dr. Watson called.", "He was late."]),
    ("us-name", "The U.S. Army left. The U.S. Navy stayed.", ["The U.S. Army left.", "The U.S. Navy stayed."]),
    ("us-end", "He moved to the U.S. The move was hard.", ["He moved to the U.S.", "The move was hard."]),
    ("eg", "Fruit, e.g. Apples and pears, is healthy.", ["Fruit, e.g. Apples and pears, is healthy."]),
    ("ie", "One option, i.e. the cheapest, won.", ["One option, i.e. the cheapest, won."]),
    ("etc-upper", "We bought bread, wine, etc. The shop closed.", ["We bought bread, wine, etc.", "The shop closed."]),
    ("inc", "Apple Inc. reported profits. Acme Inc. The firm grew.",
     ["Apple Inc. reported profits.", "Acme Inc.", "The firm grew."]),
    ("no-5", "See No. 5 on the list. It is red.", ["See No. 5 on the list.", "It is red."]),
    ("decimal", "Growth was 3.5 percent. Prices rose $2.50 a gallon.",
     ["Growth was 3.5 percent.", "Prices rose $2.50 a gallon."]),
    ("curly-quotes", "“Stop.” She left.", ["“Stop.”", "She left."]),
    ("straight-quotes", 'He said "Stop." She left. "Why?" he asked.',
     ['He said "Stop."', "She left.", '"Why?" he asked.']),
    ("ellipsis-upper", "He paused... Then he left.", ["He paused...", "Then he left."]),
    ("ellipsis-lower", "He paused… and left.", ["He paused… and left."]),
    ("initials", "J. K. Rowling wrote it. George W. Bush read it.", ["J. K. Rowling wrote it.", "George W. Bush read it."]),
    ("pm", "We met at 5 p.m. The talks lasted hours.", ["We met at 5 p.m.", "The talks lasted hours."]),
    ("question", "Why now? Nobody knows!", ["Why now?", "Nobody knows!"]),
    ("bc", "Caesar died in 44 B.C. The republic fell.", ["Caesar died in 44 B.C.", "The republic fell."]),
    ("question-after-acronym", "Is it the U.S.? Nobody knows.", ["Is it the U.S.?", "Nobody knows."]),
    ("quote-closes-acronym", "“We love the U.S.” Critics disagreed.", ["“We love the U.S.”", "Critics disagreed."]),
    ("pronoun-i", "Neither did I. John left first.", ["Neither did I.", "John left first."]),
    ("dc", "He flew to Washington, D.C. The city was hot. D.C. residents stayed home.",
     ["He flew to Washington, D.C.", "The city was hot.", "D.C. residents stayed home."]),
    ("us-president", "U.S. President Joe Biden spoke in Jan. 2024 at 5 p.m. sharp.",
     ["U.S. President Joe Biden spoke in Jan. 2024 at 5 p.m. sharp."]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in FRENCH_CASES], ids=[c[0] for c in FRENCH_CASES])
def test_french_cases(text: str, expected: list[str]) -> None:
    assert [s for s, _ in split_sentences(text, "fr")] == expected


@pytest.mark.parametrize("text,expected", [c[1:] for c in ENGLISH_CASES], ids=[c[0] for c in ENGLISH_CASES])
def test_english_cases(text: str, expected: list[str]) -> None:
    assert [s for s, _ in split_sentences(text, "en")] == expected


def test_case_table_is_big_and_ids_unique() -> None:
    assert len(FRENCH_CASES) >= 60 and len(ENGLISH_CASES) >= 15
    assert len({c[0] for c in FRENCH_CASES}) == len(FRENCH_CASES)
    assert len({c[0] for c in ENGLISH_CASES}) == len(ENGLISH_CASES)


ALL_TEXTS = [(c[1], "fr") for c in FRENCH_CASES] + [(c[1], "en") for c in ENGLISH_CASES]


def _assert_lossless(text: str, lang: str) -> None:
    pairs = split_sentences(text, lang)
    lead = text[: len(text) - len(text.lstrip())]
    assert lead + "".join(s + ws for s, ws in pairs) == text
    for sentence, ws in pairs:
        assert sentence and sentence == sentence.strip()
        assert ws.strip() == ""


@pytest.mark.parametrize("text,lang", ALL_TEXTS)
def test_split_is_lossless_on_table(text: str, lang: str) -> None:
    _assert_lossless(text, lang)


WHITESPACE_VARIANTS = [" ", "  ", NB, NNB, "\t", " \n", "\n", "\r\n", "\n\t "]


def _whitespace_variant(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        out.append(rng.choice(WHITESPACE_VARIANTS) if ch == " " and rng.random() < 0.4 else ch)
    prefix = rng.choice(["", " ", "\t", NB])
    suffix = rng.choice(["", " ", "  ", "\n", NB])
    return prefix + "".join(out) + suffix


def test_split_is_lossless_on_random_whitespace() -> None:
    rng = random.Random(1234)
    for _ in range(5):
        for text, lang in ALL_TEXTS:
            _assert_lossless(_whitespace_variant(text, rng), lang)


def test_document_is_lossless_on_random_documents() -> None:
    rng = random.Random(99)
    seps = ["\n", "\n\n", "\r\n", "\r\n\r\n", "\n  \n", "\n\n\n", "\r"]
    for _ in range(40):
        paras = [_whitespace_variant(rng.choice(FRENCH_CASES)[1], rng) for _ in range(rng.randint(1, 6))]
        text = rng.choice(["", "\n", "\n \n"]) + "".join(p + rng.choice(seps) for p in paras)
        text = text if rng.random() < 0.5 else text.rstrip("\r\n")
        doc = segment_document(text)
        assert doc.source_text == text
        ids = [s.id for s in doc]
        assert ids == list(range(1, len(ids) + 1))
        for i, p in enumerate(doc.paragraphs):
            assert p.index == i and all(s.paragraph == i for s in p.segments)


def test_split_empty_and_blank() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n ") == []


def test_split_keeps_leading_and_trailing_whitespace_accounted() -> None:
    assert split_sentences("  Il part.  Elle reste. \n") == [("Il part.", "  "), ("Elle reste.", " \n")]


def test_unknown_language_is_a_user_error() -> None:
    with pytest.raises(UserError):
        split_sentences("Hola.", "es")


def test_language_variants_are_accepted() -> None:
    assert [s for s, _ in split_sentences("Mr. Smith left. He ran.", "en-GB")] == ["Mr. Smith left.", "He ran."]
    assert len(split_sentences("M. Dupont part. Il court.", "fr_FR")) == 2


def test_break_decisions_name_the_rule() -> None:
    names = {name for name, _ in RULES}
    trace = break_decisions("M. Dupont part. Il court.")
    assert [(name, brk) for _, name, brk in trace] == [("title", False), ("default_break", True)]
    assert all(name in names for _, name, _ in trace)


# --- documents -------------------------------------------------------------------------------

ARTICLE = (
    "\n\n"
    "Les chiffres du trimestre\n"
    "\n"
    "Le chômage baisse. Il atteint 7,1 %.\n"
    "  Le gouvernement se félicite.\n"
    "\n\n"
    "Lire aussi : La réforme des retraites avance\n"
)


def test_document_paragraphs_separators_and_head() -> None:
    doc = segment_document(ARTICLE, name="article")
    assert doc.source_text == ARTICLE
    assert doc.head == "\n\n"
    assert doc.name == "article" and doc.source_lang == "fr"
    assert [p.source for p in doc.paragraphs] == [
        "Les chiffres du trimestre",
        "Le chômage baisse. Il atteint 7,1 %.",
        "  Le gouvernement se félicite.",
        "Lire aussi : La réforme des retraites avance",
    ]
    assert [p.separator for p in doc.paragraphs] == ["\n\n", "\n", "\n\n\n", "\n"]
    assert doc.paragraphs[2].lead == "  "
    assert [s.source for s in doc.paragraphs[1].segments] == ["Le chômage baisse.", "Il atteint 7,1 %."]


def test_heading_is_one_segment() -> None:
    doc = segment_document("Les chiffres du trimestre\nLe chômage baisse.\n")
    assert len(doc.paragraphs) == 2
    assert [s.source for s in doc.paragraphs[0].segments] == ["Les chiffres du trimestre"]


def test_hard_wrapped_lines_are_joined() -> None:
    text = "Le ministre a annoncé mardi une hausse\nde 3 % du budget. Les syndicats\nprotestent.\nUn autre paragraphe.\n"
    doc = segment_document(text)
    assert doc.source_text == text
    assert len(doc.paragraphs) == 2
    first = doc.paragraphs[0]
    assert [s.source for s in first.segments] == [
        "Le ministre a annoncé mardi une hausse\nde 3 % du budget.",
        "Les syndicats\nprotestent.",
    ]
    assert first.segments[0].engine_input == "Le ministre a annoncé mardi une hausse de 3 % du budget."
    assert doc.paragraphs[1].segments[0].engine_input is None


def test_hard_wrap_after_function_word_and_abbreviation() -> None:
    text = "Il a rencontré le président de la\nRépublique hier. Il a vu M.\nDupont ensuite.\n"
    doc = segment_document(text)
    assert len(doc.paragraphs) == 1
    assert [s.source for s in doc.segments] == [
        "Il a rencontré le président de la\nRépublique hier.",
        "Il a vu M.\nDupont ensuite.",
    ]


def test_line_continues_rules() -> None:
    assert line_continues("Il hésita...", "puis partit.")
    assert line_continues("des pommes,", "Des poires.")
    assert not line_continues("Il part.", "Elle reste.")
    assert not line_continues("Sommaire", "Le chômage baisse.")
    assert not line_continues("Deux points :", "- le premier")


def test_crlf_document() -> None:
    text = "Titre\r\n\r\nLe chômage baisse. Il atteint 7 %.\r\nFin du texte.\r\n"
    doc = segment_document(text)
    assert doc.source_text == text
    assert len(doc.paragraphs) == 3
    assert [p.separator for p in doc.paragraphs] == ["\r\n\r\n", "\r\n", "\r\n"]
    assert all("\r" not in s.source for s in doc)


def test_crlf_hard_wrap_keeps_crlf_inside_segment() -> None:
    text = "Une phrase coupée\r\nen deux lignes.\r\n"
    doc = segment_document(text)
    assert doc.source_text == text
    assert [s.source for s in doc] == ["Une phrase coupée\r\nen deux lignes."]
    assert doc.segments[0].engine_input == "Une phrase coupée en deux lignes."


def test_metadata_prefix_is_its_own_untranslatable_segment() -> None:
    text = " date 2023-09 Washington a intensifié ses efforts en Asie centrale\nLe texte commence ici.\n"
    doc = segment_document(text)
    assert doc.source_text == text
    first = doc.paragraphs[0]
    assert first.lead == " "
    assert [(s.source, s.translatable) for s in first.segments] == [
        ("date 2023-09", False),
        ("Washington a intensifié ses efforts en Asie centrale", True),
    ]


def test_read_more_label_is_its_own_translatable_segment() -> None:
    text = "Le front bouge.\nEn savoir plus Un coup de poignard dans le « ventre mou » : comment Kiev avance\n"
    doc = segment_document(text)
    assert doc.source_text == text
    segs = doc.paragraphs[1].segments
    assert [s.source for s in segs] == ["En savoir plus", "Un coup de poignard dans le « ventre mou » : comment Kiev avance"]
    assert all(s.translatable for s in segs)


def test_untranslatable_segments() -> None:
    text = "https://www.example.org/a.b?c=1\njean.dupont@exemple.fr\n12 345\n—\nVoir https://x.org pour tout.\n"
    doc = segment_document(text)
    assert [s.translatable for s in doc] == [False, False, False, False, True]
    assert is_translatable("Lire aussi :") and not is_translatable("date 2023-09-14")


def test_empty_and_blank_documents() -> None:
    for text in ["", "\n\n", "  \r\n"]:
        doc = segment_document(text)
        assert doc.paragraphs == [] and doc.source_text == text


def test_no_trailing_newline_and_trailing_spaces() -> None:
    text = "Il part.  \nElle reste.   "
    doc = segment_document(text)
    assert doc.source_text == text
    assert doc.paragraphs[-1].separator == ""
    assert doc.paragraphs[0].segments[-1].space_after == "  "
    assert doc.paragraphs[1].segments[-1].space_after == "   "


def test_english_document() -> None:
    doc = segment_document("Mr. Smith left. He ran.\n\nThe end.\n", lang="en")
    assert doc.source_lang == "en"
    assert [s.source for s in doc] == ["Mr. Smith left.", "He ran.", "The end."]


def test_example_article_segments_cleanly() -> None:
    text = (
        "Pour M. Karapetian, chercheur à l’université d’État d’Erevan, la question dépasse la seule Arménie. "
        "« La CEI, l’OTSC et l’Union économique eurasiatique forment un ensemble fragile… Si un membre part, "
        "les autres s’interrogeront. » Il cite l’exemple de l’Ouzbékistan, qui a quitté l’OTSC en 2012."
    )
    assert len(split_sentences(text)) == 4


def test_big_text_stays_correct() -> None:
    """A large text segments to the sum of its parts (checks no state leaks between paragraphs)."""
    paragraphs = [c[1] for c in FRENCH_CASES] * 20
    text = "\n\n".join(paragraphs) + "\n"
    doc = segment_document(text)
    assert doc.source_text == text
    assert len(doc) == sum(len(c[2]) for c in FRENCH_CASES) * 20


def test_blank_line_always_separates_paragraphs() -> None:
    doc = segment_document("Il hésita...\n\npuis partit.\n")
    assert [p.source for p in doc.paragraphs] == ["Il hésita...", "puis partit."]


@pytest.mark.parametrize("text,lang,expected", [
    ("M. J. Dupont arrive. C'est tout.", "fr", ["M. J. Dupont arrive.", "C'est tout."]),
    ("Il manque la vitamine C. C’est grave.", "fr", ["Il manque la vitamine C.", "C’est grave."]),
    ("Elle habite Main St. The house is big.", "en", ["Elle habite Main St.", "The house is big."]),
    ("Il vit aux U.S.A. L'hiver y est rude.", "fr", ["Il vit aux U.S.A.", "L'hiver y est rude."]),
], ids=["initial-after-title", "elided-starter", "street", "acronym-elided-article"])
def test_starter_words(text: str, lang: str, expected: list[str]) -> None:
    assert [s for s, _ in split_sentences(text, lang)] == expected
