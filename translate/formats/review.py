"""A review page: one self-contained HTML file with French and English side by side.

For `translate align` each row is a bead (its type, its cosine score); for `translate run` each row is
a segment (engine score, origin). Rows that need a person's eye — low score, a sentence without
counterpart, QA findings, glossary repairs, an empty translation — are marked, and a checkbox at the
top hides every other row (CSS only: the page needs no JavaScript and loads nothing from outside).
Paragraph breaks are rows of their own; glossary terms are highlighted in both columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from translate.document import Document, Segment, TermHit
from translate.formats import WriteOptions, pair_code

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em; color: #1d1d1d; background: #fff; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
.summary { color: #444; margin: 0 0 1em; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border-bottom: 1px solid #ddd; padding: .35em .5em; vertical-align: top; text-align: left; }
th { background: #f2f2f2; position: sticky; top: 0; }
col.num { width: 3.5em; } col.kind { width: 4.5em; } col.score { width: 4.5em; } col.notes { width: 18%; }
td.fr, td.en { white-space: pre-wrap; overflow-wrap: anywhere; }
tr.review { background: #fff4e0; }
tr.review td.num { border-left: 4px solid #d98200; }
tr.unaligned { background: #fde8e8; }
tr.unaligned td.num { border-left: 4px solid #c62828; }
tr.para td { background: #eef3fb; color: #35507a; font-size: .85em; padding: .15em .5em; }
.missing { color: #999; font-style: italic; }
mark.term { background: #d8f0d2; border-bottom: 2px solid #3c8c2f; padding: 0 .1em; }
ul.notes { margin: 0; padding-left: 1.1em; }
li.qa { color: #8a1c1c; } li.glossary { color: #2e6b24; } li.score { color: #8a5a00; }
#only-review:checked ~ table tr.ok, #only-review:checked ~ table tr.para { display: none; }
label { display: inline-block; margin: 0 0 .8em; cursor: pointer; user-select: none; }
""".strip()


@dataclass
class RowFacts:
    """What one row shows besides the two texts: its kind, score and why it needs review."""

    kind: str
    score: str
    reasons: list[tuple[str, str]] = field(default_factory=list)
    unaligned: bool = False


def _aligned_facts(segment: Segment, min_score: float) -> RowFacts:
    """Facts of a bead from `translate align` (score = cosine of the two sides)."""
    facts = RowFacts(kind=str(segment.extra.get("bead", "")), score=_score(segment.score))
    if not segment.source or not segment.target:
        facts.unaligned = True
        side = "French" if not segment.source else "English"
        facts.reasons.append(("score", f"no {side} counterpart"))
    elif segment.score is not None and segment.score < min_score:
        facts.reasons.append(("score", f"low confidence: {segment.score:.2f} < {min_score:.2f}"))
    return facts


def _translated_facts(segment: Segment) -> RowFacts:
    """Facts of a segment from `translate run`, with the same review rule as the XLIFF writer."""
    from translate.formats.xliff import review_decision

    decision = review_decision(segment)
    facts = RowFacts(kind=segment.origin or ("verbatim" if not segment.translatable else ""),
                     score=_score(segment.score))
    for origin, text in decision.notes:
        if origin == "engine" and not text.startswith("low"):
            continue  # unknown words alone do not need review (see translate/formats/xliff.py)
        facts.reasons.append(({"engine": "score"}.get(origin, origin), text))
    if segment.translatable and not segment.target:
        facts.reasons.append(("score", "no translation"))
    return facts


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _highlight(text: str, terms: list[str]) -> str:
    """Escaped text with every occurrence of the given terms wrapped in <mark class="term">."""
    spans: list[tuple[int, int]] = []
    folded = text.casefold()
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = folded.find(term.casefold())
        while start >= 0:
            end = start + len(term)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = folded.find(term.casefold(), end)
    out, cursor = [], 0
    for start, end in sorted(spans):
        out.append(escape(text[cursor:start]))
        out.append(f'<mark class="term">{escape(text[start:end])}</mark>')
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)


def _text_cell(css: str, lang: str, text: str, terms: list[str], missing: str) -> str:
    if not text:
        return f'<td class="{css}" lang="{lang}"><span class="missing">{escape(missing)}</span></td>'
    return f'<td class="{css}" lang="{lang}">{_highlight(text, terms)}</td>'


def _notes_cell(reasons: list[tuple[str, str]], hits: list[TermHit]) -> str:
    items = [f'<li class="{escape(kind)}">{escape(text)}</li>' for kind, text in reasons]
    items += [f'<li class="term">{escape(h.source)} → {escape(h.target)}</li>'
              for h in hits]
    return f'<td class="notes"><ul class="notes">{"".join(items)}</ul></td>' if items else '<td class="notes"></td>'


class ReviewWriter:
    name = "html"

    def filename(self, stem: str, options: WriteOptions) -> str:
        return f"{stem}.{pair_code(options)}.review.html"

    def render(self, document: Document, options: WriteOptions) -> str:
        aligned = document.meta.engine == "aligned"
        min_score = 0.5 if document.meta.min_score is None else float(document.meta.min_score)
        rows: list[str] = []
        review = unaligned = 0
        for number, paragraph in enumerate(document.paragraphs):
            if not paragraph.segments:
                continue
            rows.append(f'<tr class="para"><td colspan="6">¶ paragraph {number + 1}</td></tr>')
            for segment in paragraph.segments:
                facts = _aligned_facts(segment, min_score) if aligned else _translated_facts(segment)
                needs = bool(facts.reasons)
                review += needs
                unaligned += facts.unaligned
                css = " ".join(["seg", "review" if needs else "ok"] + (["unaligned"] if facts.unaligned else []))
                hits = segment.glossary_hits
                rows.append(
                    f'<tr class="{css}" id="s{segment.id}">'
                    f'<td class="num">{segment.id}</td><td class="kind">{escape(facts.kind)}</td>'
                    f'<td class="score">{escape(facts.score)}</td>'
                    + _text_cell("fr", options.source_locale, segment.source,
                                 [h.source for h in hits], "— no French counterpart —")
                    + _text_cell("en", options.target_locale, segment.target,
                                 [h.target for h in hits],
                                 "— no English counterpart —" if aligned else "— not translated —")
                    + _notes_cell(facts.reasons, hits) + "</tr>"
                )
        total = len(document)
        title = f"Review: {document.name}" if document.name else "Review"
        what = "beads" if aligned else "segments"
        score_name = "cosine" if aligned else "score"
        summary = (f"{total} {what}, {review} need review"
                   + (f" ({unaligned} without counterpart; scores below {min_score:.2f} are low)" if aligned else ""))
        return "".join([
            "<!DOCTYPE html>\n",
            f'<html lang="{escape(options.source_locale)}"><head><meta charset="utf-8">',
            f"<title>{escape(title)}</title><style>\n{STYLE}\n</style></head>\n<body>\n",
            f"<h1>{escape(title)}</h1>\n",
            f'<p class="summary">{escape(summary)}</p>\n',
            '<input type="checkbox" id="only-review"> <label for="only-review">Show only rows that need review</label>\n',
            '<table><colgroup><col class="num"><col class="kind"><col class="score"><col class="fr">'
            '<col class="en"><col class="notes"></colgroup>\n',
            f"<thead><tr><th>#</th><th>{'bead' if aligned else 'origin'}</th><th>{score_name}</th>"
            f"<th>French</th><th>English</th><th>notes</th></tr></thead>\n<tbody>\n",
            "\n".join(rows),
            "\n</tbody></table>\n</body></html>\n",
        ])
