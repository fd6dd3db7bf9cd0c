"""Nationality words Apertium's fr-es dictionary lacks (ukrainien, soudanais, kirghize, burkinabé…).

Unknown, they stayed French in the English ("the army ukrainienne") or came out in Spanish ("malí",
"surcoreano", "kurdo"), and an unknown word is not moved where English puts adjectives. Each one is
sent as a nationality Apertium knows with the same endings (a carrier: ukrainienne → norvégienne), so
agreement and word order come out right ("the Norwegian army"), and the carrier's English is then
replaced by the right one ("the Ukrainian army"; the noun "les Ukrainiens" → "the Ukrainians").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.engines.prefixes import PREFIXES

_IEN = ("ien", "ienne", "iens", "iennes")
_EEN = ("éen", "éenne", "éens", "éennes")
_AIS = ("ais", "aise", "ais", "aises")
_E = ("e", "e", "es", "es")
_REG = ("", "e", "s", "es")


def _four(stem: str, endings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem + ending for ending in endings)


_CARRIERS: dict[str, list[tuple[tuple[str, ...], str, str]]] = {
    # inflection class → carriers: (French forms masc., fem., masc. pl., fem. pl.; English adjective; plural noun)
    "ien": [(_four("norvég", _IEN), "Norwegian", "Norwegians"), (_four("autrich", _IEN), "Austrian", "Austrians")],
    "ais": [(_four("island", _AIS), "Icelandic", "Icelandics"), (_four("dan", ("ois", "oise", "ois", "oises")),
                                                                  "Danish", "Danish")],
    "e": [(_four("tchèqu", _E), "Czech", "Czechs"), (_four("belg", _E), "Belgian", "Belgian")],
    "reg": [(_four("afghan", _REG), "Afghan", "Afghans")],
}
"""Nationalities the installed fr-es knows, one or two per inflection class; the second serves when the
first is in the sentence already (its English would be ambiguous)."""

_NATIONALITIES: list[tuple[tuple[str, ...], str, str, str]] = [
    (_four("ukrain", _IEN), "ien", "Ukrainian", "Ukrainians"), (_four("mal", _IEN), "ien", "Malian", "Malians"),
    (_four("sahél", _IEN), "ien", "Sahelian", "Sahelians"), (_four("euras", _IEN), "ien", "Eurasian", "Eurasians"),
    (_four("nigér", _IEN), "ien", "Nigerien", "Nigeriens"), (_four("tchad", _IEN), "ien", "Chadian", "Chadians"),
    (_four("géorg", _IEN), "ien", "Georgian", "Georgians"), (_four("armén", _IEN), "ien", "Armenian", "Armenians"),
    (_four("ivoir", _IEN), "ien", "Ivorian", "Ivorians"), (_four("liby", ("en", "enne", "ens", "ennes")),
     "ien", "Libyan", "Libyans"),
    (_four("saoud", _IEN), "ien", "Saudi", "Saudis"), (_four("tunis", _IEN), "ien", "Tunisian", "Tunisians"),
    (_four("éthiop", _IEN), "ien", "Ethiopian", "Ethiopians"),
    (_four("mauritan", _IEN), "ien", "Mauritanian", "Mauritanians"), (_four("bosn", _IEN), "ien", "Bosnian", "Bosnians"),
    (_four("eston", _IEN), "ien", "Estonian", "Estonians"), (_four("cambodg", _IEN), "ien", "Cambodian", "Cambodians"),
    (_four("malais", _IEN), "ien", "Malaysian", "Malaysians"), (_four("boliv", _IEN), "ien", "Bolivian", "Bolivians"),
    (_four("haït", _IEN), "ien", "Haitian", "Haitians"),
    (_four("transnistr", _IEN), "ien", "Transnistrian", "Transnistrians"),
    (_four("sud-cor", _EEN), "ien", "South Korean", "South Koreans"),
    (_four("nord-cor", _EEN), "ien", "North Korean", "North Koreans"),
    (_four("guin", _EEN), "ien", "Guinean", "Guineans"), (_four("ghan", _EEN), "ien", "Ghanaian", "Ghanaians"),
    (_four("soudan", _AIS), "ais", "Sudanese", "Sudanese"),
    (_four("sud-soudan", _AIS), "ais", "South Sudanese", "South Sudanese"),
    (_four("azerbaïdjan", _AIS), "ais", "Azerbaijani", "Azerbaijanis"),
    (_four("sénégal", _AIS), "ais", "Senegalese", "Senegalese"),
    (_four("pakistan", _AIS), "ais", "Pakistani", "Pakistanis"), (_four("rwand", _AIS), "ais", "Rwandan", "Rwandans"),
    (_four("ougand", _AIS), "ais", "Ugandan", "Ugandans"),
    (_four("cameroun", _AIS), "ais", "Cameroonian", "Cameroonians"),
    (_four("gabon", _AIS), "ais", "Gabonese", "Gabonese"), (_four("togol", _AIS), "ais", "Togolese", "Togolese"),
    (_four("bénin", ("ois", "oise", "ois", "oises")), "ais", "Beninese", "Beninese"),
    (_four("taïwan", _AIS), "ais", "Taiwanese", "Taiwanese"),
    (_four("groenland", _AIS), "ais", "Greenlandic", "Greenlanders"),
    (_four("daghestan", _AIS), "ais", "Dagestani", "Dagestanis"),
    (_four("kirghiz", _E), "e", "Kyrgyz", "Kyrgyz"), (_four("biéloruss", _E), "e", "Belarusian", "Belarusians"),
    (_four("moldav", _E), "e", "Moldovan", "Moldovans"), (_four("yéménit", _E), "e", "Yemeni", "Yemenis"),
    (_four("slovèn", _E), "e", "Slovenian", "Slovenians"), (_four("slovaqu", _E), "e", "Slovak", "Slovaks"),
    (_four("balt", _E), "e", "Baltic", "Balts"), (_four("tchétchèn", _E), "e", "Chechen", "Chechens"),
    (_four("kurd", _E), "e", "Kurdish", "Kurds"),
    (_four("burkinab", ("é", "ée", "és", "ées")), "e", "Burkinabe", "Burkinabe"),
    (("ouzbek", "ouzbèke", "ouzbeks", "ouzbèkes"), "reg", "Uzbek", "Uzbeks"),
    (_four("tadjik", _REG), "reg", "Tajik", "Tajiks"), (_four("kazakh", _REG), "reg", "Kazakh", "Kazakhs"),
    (_four("kényan", _REG), "reg", "Kenyan", "Kenyans"),
    (("letton", "lettone", "lettons", "lettones"), "reg", "Latvian", "Latvians"),
    (_four("émirati", _REG), "reg", "Emirati", "Emiratis"), (_four("qatari", _REG), "reg", "Qatari", "Qataris"),
    (_four("ouïghour", _REG), "reg", "Uyghur", "Uyghurs"), (_four("kosovar", _REG), "reg", "Kosovar", "Kosovars"),
    (_four("nigérian", _REG), "reg", "Nigerian", "Nigerians"), (_four("sahraoui", _REG), "reg", "Sahrawi", "Sahrawis"),
]
"""Nationality words the installed fr-es does not know (or gives in Spanish): French forms, inflection
class, English adjective and plural noun."""

_FORMS = {form.casefold(): (n, slot) for n, (forms, _, _, _) in enumerate(_NATIONALITIES)
          for slot, form in enumerate(forms)}
_AFTER_PREFIX = re.compile(r"(?<![\w-])(?:" + "|".join(PREFIXES) + r")-\Z", re.IGNORECASE)
_WORD = re.compile(r"(?<!\w)(?:sud-|nord-)?[^\W\d_]+(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Swap:
    """One nationality sent as a carrier: the carrier's English words and the right ones."""

    carrier_adjective: str
    carrier_noun: str
    adjective: str
    noun: str


def carry(text: str) -> tuple[str, list[Swap]]:
    """`text` with each listed nationality replaced by a carrier Apertium knows, and the swaps to undo."""
    swaps: list[Swap] = []
    chosen: dict[int, int] = {}  # nationality → carrier index in its class
    lowered = text.casefold()

    def replace(m: re.Match[str]) -> str:
        word = m.group()
        found = _FORMS.get(word.casefold())
        if found is None or (text[m.start() - 1:m.start()] == "-" and not _AFTER_PREFIX.search(text, 0, m.start())):
            return word  # not listed, or the end of a compound (russo-ukrainien) rather than a prefix's head
        n, slot = found
        forms, kind, adjective, noun = _NATIONALITIES[n]
        taken = {c for other, c in chosen.items() if _NATIONALITIES[other][1] == kind and other != n}
        for c, (carrier_forms, carrier_adjective, carrier_noun) in enumerate(_CARRIERS[kind]):
            if c in taken or (n not in chosen and carrier_forms[0][:5].casefold() in lowered):
                continue  # one carrier per nationality, and never one the sentence holds itself
            chosen[n] = c
            swap = Swap(carrier_adjective, carrier_noun, adjective, noun)
            if swap not in swaps:
                swaps.append(swap)
            carrier = carrier_forms[slot]
            return carrier.capitalize() if word[0].isupper() else carrier
        return word  # no carrier free: left as it was

    return _WORD.sub(replace, text), swaps


def restore(english: str, swaps: list[Swap]) -> str:
    """The English with each carrier's words replaced by the nationality's, and "a"/"an" before them fitted."""
    for swap in swaps:
        for carrier, right in ((swap.carrier_noun, swap.noun), (swap.carrier_adjective, swap.adjective)):
            english = re.sub(rf"\b(?:([Aa][Nn]?)(\s+))?{re.escape(carrier)}\b",
                             lambda m, right=right: (_article(m.group(1), right) + m.group(2) if m.group(1) else "")
                             + right, english)
    return english


def _article(article: str, word: str) -> str:
    """"a" or "an" before `word`, in the case the engine wrote the article (A or a; its "AN" becomes "An")."""
    fitted = "an" if (word[:1] in "AEIO" and not word.startswith("Eu")) or word.startswith("Uz") else "a"
    return fitted.capitalize() if article[0].isupper() else fitted
