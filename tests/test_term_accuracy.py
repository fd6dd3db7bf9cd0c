"""Term accuracy through the whole pipeline: every glossary hit comes out as its English term.

Measured on the example article and on the 126-sentence glossary test set, with the synthetic neural
package (CTranslate2) and with Apertium (real MT).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from translate.api import PipelineOptions, build_pipeline
from translate.terms import term_accuracy

from support import need

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (ROOT / "examples" / "sommet-otsc.fr.txt").read_text(encoding="utf-8")
TEST_SET = (ROOT / "tests" / "data" / "glossary_sentences.fr.txt").read_text(encoding="utf-8")


def _engines(synthetic_package):
    from translate.engines.argos import CTranslate2Engine

    yield "synthetic", CTranslate2Engine(synthetic_package)
    from translate.engines.apertium import ApertiumEngine, apertium_status

    ok, why = apertium_status()
    if ok:
        yield "apertium", ApertiumEngine()
    elif os.environ.get("CI"):
        need(False, why)


@pytest.mark.parametrize("text, minimum", [(ARTICLE, 25), (TEST_SET, 200)], ids=["example-article", "test-set"])
def test_every_term_rendered(synthetic_package, text, minimum):
    for name, engine in _engines(synthetic_package):
        document = build_pipeline(engine, PipelineOptions())(text)
        ok, total = term_accuracy(document)
        assert total >= minimum, name
        assert ok == total, (name, [(s.source, s.target) for s in document if s.glossary_hits])
        assert not [f for s in document for f in s.qa if f.check in ("missing-term", "untranslated-term")], name


def test_user_glossary_wins_and_default_can_be_turned_off(tmp_path, synthetic_package):
    from translate.engines.argos import CTranslate2Engine

    engine = CTranslate2Engine(synthetic_package)
    user = tmp_path / "mine.tsv"
    user.write_text("OTAN\tthe Alliance\n", encoding="utf-8")
    doc = build_pipeline(engine, PipelineOptions(glossaries=(user,)))("L’OTAN et l’OTSC.")
    assert doc.segments[0].target.startswith("The Alliance") and "CSTO" in doc.segments[0].target
    bare = build_pipeline(engine, PipelineOptions(default_glossary=False))("L’OTAN et l’OTSC.")
    assert bare.segments[0].target == "L’OTAN et l’OTSC." and not bare.segments[0].glossary_hits
