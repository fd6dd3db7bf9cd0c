"""How trustworthy are Apertium drafts? QA findings, term accuracy and BLEU/chrF (issue 11's evaluation).

    python -m bench.drafts_eval [--news examples/news] [--handbook-files apt] [--out bench/results/drafts-NAME]

On the French news texts of `examples/news/` it runs the Apertium pipeline (built-in glossary, QA)
and writes, for a person to mark true/false:
  leftover.tsv   every foreign-word finding (file, segment, word, why, source, target, mark)
  numbers.tsv    every number-mismatch finding
and counts glossary hits, repairs and term accuracy, plus an accuracy on expected English forms of
common acronyms and names in singular and plural (`des ONG` must give `NGOs`). On a chapter of the
Debian Administrator's Handbook (package `debian-handbook`: fr-FR and en-US HTML with the same
structure, paired by bench/handbook.py) it gives corpus BLEU and chrF of the same pipeline against the
published English, and the same QA counts. Everything goes to stdout and to `summary.json`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.mtmetrics import corpus_bleu, corpus_chrf

HANDBOOK_CHAPTERS = {
    "apt": ("apt.html", "sect.apt-"),
    "config": ("basic-configuration.html", "sect.config-"),
    "all": ("",),
}
"""Which handbook files make up a named chapter: file-name prefixes (index.html, the table of contents, never)."""


@dataclass(frozen=True)
class ExpectedTerm:
    """A French form and the English form a correct translation uses, counted segment by segment."""

    label: str
    french: str
    english: str


EXPECTED_TERMS = (
    ExpectedTerm("ONG (plural)", r"(?:[Dd]es|[Ll]es|[Pp]lusieurs|[Cc]es) ONG\b|organisations non gouvernementales",
                 r"\bNGOs\b|non-governmental organi[sz]ations"),
    ExpectedTerm("ONG (singular)", r"(?:[Uu]ne|[Ll]’|[Dd]’une) ?(?:ONG\b|organisation non gouvernementale)",
                 r"\bNGO\b(?!s)|non-governmental organi[sz]ation\b"),
    ExpectedTerm("cessez-le-feu (plural)", r"cessez-le-feu successifs", r"\bceasefires\b|\bcease-fires\b"),
    ExpectedTerm("cessez-le-feu", r"cessez-le-feu(?! successifs)", r"\bceasefire\b|\bcease-fire\b"),
    ExpectedTerm("CEDEAO", r"\bCEDEAO\b|Communauté économique des États de l’Afrique de l’Ouest",
                 r"\bECOWAS\b|Economic Community of West African States"),
    ExpectedTerm("PAM", r"\bPAM\b|Programme alimentaire mondial", r"\bWFP\b|World Food Programme"),
    ExpectedTerm("UA", r"\bUA\b|Union africaine", r"\bAU\b|African Union"),
    ExpectedTerm("UE", r"\bUE\b|Union européenne", r"\bEU\b|European Union"),
    ExpectedTerm("ONU", r"\bONU\b|Nations unies", r"\bUN\b|United Nations"),
    ExpectedTerm("OTAN", r"\bOTAN\b|Organisation du traité de l’Atlantique nord", r"\bNATO\b|North Atlantic Treaty Organi[sz]ation"),
    ExpectedTerm("BCE", r"\bBCE\b|Banque centrale européenne", r"\bECB\b|European Central Bank"),
    ExpectedTerm("M. (title)", r"\bM\. [A-ZÀ-Ý]", r"\bMr\.? [A-Z]"),
    ExpectedTerm("Mme (title)", r"\bMme [A-ZÀ-Ý]", r"\bMs\.? [A-Z]|\bMrs\.? [A-Z]"),
)


def _pipeline() -> Any:
    try:
        from translate.engines.apertium import ApertiumEngine, apertium_status
    except ImportError:  # the "before" tree (bde4899) kept the engine in translate/apertium.py
        from translate.apertium import ApertiumEngine, apertium_status  # type: ignore[no-redef]
    from translate.api import PipelineOptions, build_pipeline

    ready, why = apertium_status()
    if not ready:
        raise SystemExit(f"Apertium is not available: {why}")
    return build_pipeline(ApertiumEngine(), PipelineOptions())


def _cell(text: str) -> str:
    return " ".join(str(text).split())


def _finding(f: Any) -> dict[str, Any]:
    """A QA finding as a dict: QaFinding records now, plain dicts in the "before" tree (bde4899)."""
    if isinstance(f, dict):
        return {"check": f.get("check", ""), "word": f.get("word") or "", "message": f.get("message", "")}
    return {"check": f.check, "word": f.word or "", "message": f.message}


def _findings(document: Any, name: str, check: str) -> list[dict[str, Any]]:
    return [{"file": name, "segment": s.id, **found, "source": s.source, "target": s.target}
            for s in document for found in map(_finding, s.qa) if found["check"] == check]


def expected_term_counts(document: Any) -> dict[str, tuple[int, int]]:
    """Per expected term: (segments' English occurrences matched, French occurrences), min per segment."""
    out: dict[str, list[int]] = {}
    for term in EXPECTED_TERMS:
        ok = total = 0
        for segment in document:
            wanted = len(re.findall(term.french, segment.source))
            if wanted:
                total += wanted
                ok += min(wanted, len(re.findall(term.english, segment.target)))
        if total:
            out[term.label] = [ok, total]
    return {k: (v[0], v[1]) for k, v in out.items()}


def glossary_counts(document: Any) -> dict[str, int]:
    try:
        from translate.terms import term_accuracy
    except ImportError:  # the "before" tree (bde4899): hits were dicts, counted in glossary/enforce.py
        from glossary.enforce import term_accuracy  # type: ignore[no-redef]

    ok, total = term_accuracy(document)
    plural = plural_ok = 0
    for segment in document:  # plural hits (des ONG → NGOs): is the English plural in the segment's English?
        for hit in segment.glossary_hits:
            if isinstance(hit, dict) or not getattr(hit, "plural", False):
                continue  # the "before" tree had no plural hits
            plural += 1
            plural_ok += bool(re.search(rf"(?<!\w){re.escape(hit.target)}(?!\w)", segment.target, re.IGNORECASE))
    return {"hits": sum(len(s.glossary_hits) for s in document),
            "repairs": sum(len(s.glossary_repairs) for s in document),
            "accurate": ok, "total": total, "plural_hits": plural, "plural_accurate": plural_ok}


def news_eval(pipeline: Any, folder: Path) -> dict[str, Any]:
    """Translate each `*.fr.txt` of the folder; collect findings and term counts."""
    files = sorted(folder.glob("*.fr.txt"))
    if not files:
        raise SystemExit(f"no *.fr.txt in {folder}")
    leftovers: list[dict[str, Any]] = []
    numbers: list[dict[str, Any]] = []
    per_file: dict[str, Any] = {}
    expected: Counter[str] = Counter()
    expected_total: Counter[str] = Counter()
    glossary: Counter[str] = Counter()
    sentences = 0
    for path in files:
        document = pipeline(path.read_text(encoding="utf-8"), name=path.name)
        sentences += len(document)
        leftovers += _findings(document, path.name, "foreign-word")
        numbers += _findings(document, path.name, "number-mismatch")
        counts = glossary_counts(document)
        glossary.update(counts)
        for label, (ok, total) in expected_term_counts(document).items():
            expected[label] += ok
            expected_total[label] += total
        qa = Counter(_finding(f)["check"] for s in document for f in s.qa)
        per_file[path.name] = {"sentences": len(document), "qa": dict(qa), "glossary": counts}
    return {
        "files": len(files), "sentences": sentences, "per_file": per_file,
        "foreign_words": len(leftovers), "number_mismatches": len(numbers),
        "glossary": dict(glossary),
        "expected_terms": {k: [expected[k], expected_total[k]] for k in expected_total},
        "_leftovers": leftovers, "_numbers": numbers,
    }


def handbook_eval(pipeline: Any, chapter: str) -> dict[str, Any]:
    """BLEU/chrF and QA counts of the pipeline on one handbook chapter, paragraph by paragraph."""
    from bench.handbook import paragraph_set

    prefixes = HANDBOOK_CHAPTERS[chapter]
    pairs = paragraph_set()
    chosen = [(fr, en) for fr, en, name in zip(pairs.fr, pairs.en, pairs.files)
              if name != "index.html" and name.startswith(prefixes)]
    if not chosen:
        raise SystemExit(f"no handbook paragraphs for chapter {chapter}")
    text = "\n\n".join(fr for fr, _ in chosen) + "\n"
    started = time.perf_counter()
    document = pipeline(text, name=f"handbook-{chapter}")
    seconds = time.perf_counter() - started
    if len(document.paragraphs) != len(chosen):
        raise SystemExit(f"segmenter gave {len(document.paragraphs)} paragraphs for {len(chosen)} handbook blocks")
    hypotheses = [" ".join(s.target for s in p.segments) for p in document.paragraphs]
    references = [en for _, en in chosen]
    qa = Counter(_finding(f)["check"] for s in document for f in s.qa)
    return {
        "chapter": chapter, "paragraphs": len(chosen), "sentences": len(document), "seconds": round(seconds, 1),
        "bleu": round(corpus_bleu(hypotheses, references), 2), "chrf": round(corpus_chrf(hypotheses, references), 2),
        "qa": dict(qa), "glossary": glossary_counts(document),
        "_leftovers": _findings(document, f"handbook-{chapter}", "foreign-word"),
        "_numbers": _findings(document, f"handbook-{chapter}", "number-mismatch"),
        "_pairs": [{"source": fr, "reference": en, "hypothesis": hyp} for (fr, en), hyp in zip(chosen, hypotheses)],
    }


def write_tsv(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    lines = ["\t".join(columns)] + ["\t".join(_cell(row.get(c, "")) for c in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def report(news: dict[str, Any], handbook: dict[str, Any] | None) -> str:
    lines = [f"news: {news['files']} files, {news['sentences']} sentences",
             f"  foreign-word findings: {news['foreign_words']}",
             f"  number-mismatch findings: {news['number_mismatches']}",
             "  glossary: {hits} hits, {repairs} repairs, term accuracy {accurate}/{total}, plural hits {plural_accurate}/{plural_hits}".format(**news["glossary"]),
             "  expected English forms (segment-level matches / French occurrences):"]
    lines += [f"    {label:24} {ok}/{total}" for label, (ok, total) in news["expected_terms"].items()]
    ok = sum(v[0] for v in news["expected_terms"].values())
    total = sum(v[1] for v in news["expected_terms"].values())
    lines.append(f"    {'all':24} {ok}/{total} ({100 * ok / max(total, 1):.1f}%)")
    if news["_leftovers"]:
        lines.append("  foreign words: " + ", ".join(f"{r['word']} ({r['file'].split('.')[0]}:{r['segment']})"
                                                      for r in news["_leftovers"]))
    if handbook:
        lines += [f"handbook chapter {handbook['chapter']}: {handbook['paragraphs']} paragraphs, "
                  f"{handbook['sentences']} sentences, {handbook['seconds']} s",
                  f"  BLEU {handbook['bleu']}, chrF {handbook['chrf']}",
                  f"  QA findings: {json.dumps(handbook['qa'], sort_keys=True)}",
                  "  glossary: {hits} hits, {repairs} repairs, term accuracy {accurate}/{total}".format(**handbook["glossary"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=Path("examples/news"))
    parser.add_argument("--handbook", choices=sorted(HANDBOOK_CHAPTERS) + ["none"], default="apt")
    parser.add_argument("--out", type=Path, default=None, help="directory for summary.json and the TSV lists")
    parser.add_argument("--pairs", action="store_true", help="also write handbook-pairs.tsv (source, reference, draft)")
    args = parser.parse_args(argv)
    pipeline = _pipeline()
    news = news_eval(pipeline, args.news)
    handbook = None if args.handbook == "none" else handbook_eval(pipeline, args.handbook)
    print(report(news, handbook))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        columns = ("file", "segment", "word", "message", "source", "target", "mark")
        write_tsv(args.out / "news-leftover.tsv", news["_leftovers"], columns)
        write_tsv(args.out / "news-numbers.tsv", news["_numbers"], columns[:2] + columns[3:])
        if handbook:
            write_tsv(args.out / "handbook-leftover.tsv", handbook["_leftovers"], columns)
            write_tsv(args.out / "handbook-numbers.tsv", handbook["_numbers"], columns[:2] + columns[3:])
            if args.pairs:
                write_tsv(args.out / "handbook-pairs.tsv", handbook["_pairs"], ("source", "reference", "hypothesis"))
        summary = {"news": {k: v for k, v in news.items() if not k.startswith("_")},
                   "handbook": {k: v for k, v in handbook.items() if not k.startswith("_")} if handbook else None}
        (args.out / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        (args.out / "report.txt").write_text(report(news, handbook) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
