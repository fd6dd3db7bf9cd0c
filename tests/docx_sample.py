"""A small French news article as a Word .docx, built with python-docx plus raw XML for what it lacks
(hyperlink, footnote, fields, bookmark, proofing marks, tracked changes): the input of the DOCX tests."""

from __future__ import annotations

import io
from copy import deepcopy

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
URL = "https://www.example.fr/politique/reforme-retraites"

FOOTNOTES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {NSDECL}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>\
<w:r><w:t xml:space="preserve"> Selon les chiffres du </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>ministère de l’Intérieur</w:t></w:r>\
<w:r><w:t>.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def _append_raw(paragraph, fragment: str) -> None:
    for child in etree.fromstring(f"<w:root {NSDECL}>{fragment}</w:root>"):
        paragraph._p.append(deepcopy(child))


def tiny_png() -> bytes:
    """A valid 2x2 grey PNG, so the article holds an inline picture (its member must come back unchanged)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    pixels = zlib.compress(b"\x00\x80\x80" * 2)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def build_article() -> bytes:
    """The article's .docx bytes (deterministic: fixed core properties)."""
    import datetime

    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    doc = Document()
    props = doc.core_properties
    props.author, props.title = "Rédaction", "Réforme des retraites"
    props.created = props.modified = datetime.datetime(2026, 3, 14, 9, 0, 0)
    props.last_modified_by, props.revision = "Rédaction", 1

    doc.add_heading("Le Parlement adopte la réforme des retraites", level=1)

    p = doc.add_paragraph("Le ")
    p.add_run("Premier ministre").bold = True
    p.add_run(" a défendu mardi un texte ")
    p.add_run("très contesté").italic = True
    p.add_run(" devant les députés.")

    # the same formatting split over several runs (as Word leaves it after edits), a proofing mark, a bookmark
    p = doc.add_paragraph()
    _append_raw(p, '<w:r><w:rPr><w:lang w:val="fr-FR"/></w:rPr><w:t>Les syndi</w:t></w:r>')
    _append_raw(p, '<w:proofErr w:type="spellStart"/>')
    p.add_run("cats appellent à une nouvelle ")
    _append_raw(p, '<w:bookmarkStart w:id="0" w:name="greve"/>')
    p.add_run("journée de grève")
    _append_raw(p, '<w:bookmarkEnd w:id="0"/><w:proofErr w:type="spellEnd"/>')
    p.add_run(" le ")
    p.add_run("23 mars").underline = True
    p.add_run(".")
    _append_raw(p, '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>')

    rel = doc.part.relate_to(URL, RT.HYPERLINK, is_external=True)
    p = doc.add_paragraph("Le texte complet est disponible sur ")
    _append_raw(p, f'<w:hyperlink r:id="{rel}"><w:r><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>'
                   '<w:t>le site du gouvernement</w:t></w:r></w:hyperlink>')
    p.add_run(".")

    p = doc.add_paragraph("Chiffres clés :")
    run = p.add_run()
    run.add_break(WD_BREAK.LINE)
    p.add_run("Paris\t1,2 million de manifestants")

    # a tracked change: the insertion is translated, the deletion kept
    p = doc.add_paragraph("La mobilisation reste ")
    _append_raw(p, '<w:del w:id="11" w:author="Rédaction" w:date="2026-03-14T09:00:00Z"><w:r><w:delText>très </w:delText>'
                   '</w:r></w:del><w:ins w:id="12" w:author="Rédaction" w:date="2026-03-14T09:00:00Z"><w:r>'
                   '<w:t>particulièrement </w:t></w:r></w:ins>')
    p.add_run("forte en province.")

    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    cells = [("Ville", "Manifestants"), ("Marseille", "245 000"), ("Lyon", "38 000")]
    for row, (city, count) in zip(table.rows, cells):
        row.cells[0].text, row.cells[1].text = city, count
    table.rows[0].cells[0].paragraphs[0].runs[0].bold = True
    table.rows[0].cells[1].paragraphs[0].runs[0].bold = True

    doc.add_paragraph("Le vote final aura lieu jeudi.", style="Quote")

    p = doc.add_paragraph("Photo : ")
    p.add_run().add_picture(io.BytesIO(tiny_png()))
    p.add_run(" le cortège parisien (AFP).").italic = True

    section = doc.sections[0]
    section.header.paragraphs[0].text = "Le Quotidien — édition du soir"
    footer = section.footer.paragraphs[0]
    footer.text = "Page "
    _append_raw(footer, '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE \\* arabic </w:instrText>'
                        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
                        '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    footer.add_run(" sur 2")

    footnotes = Part(PackURI("/word/footnotes.xml"),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                     FOOTNOTES_XML.encode("utf-8"), doc.part.package)
    doc.part.relate_to(footnotes, RT.FOOTNOTES)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
