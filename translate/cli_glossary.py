"""`translate glossary …`: extract candidate terms, check a glossary file, export to another format."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from glossary.builtin import builtin_glossary
from glossary.extract import check_glossary, export_glossary, extract_candidates, format_candidates
from glossary.load import FORMATS, load_glossaries, read_glossary
from glossary.sourcefile import read_utf8
from glossary.tbx import TBX_VERSIONS
from translate.errors import UserError, glossary_errors

glossary_app = typer.Typer(no_args_is_help=True, add_completion=False)


@glossary_app.command()
def extract(
    files: List[Path] = typer.Argument(..., help="French text files to scan."),
    glossary: List[Path] = typer.Option([], "--glossary", "-g", help="Glossaries whose terms are already known."),
    builtin: bool = typer.Option(True, "--builtin/--no-builtin", help="Treat built-in news terms as known."),
    min_count: int = typer.Option(1, "--min-count", min=1, help="Only terms seen at least this often."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="TSV file to write (default: stdout)."),
) -> None:
    """List acronyms and capitalised names missing from the glossary, as a TSV to fill in."""
    with glossary_errors():
        known = load_glossaries(glossary, use_builtin=builtin)
        candidates = extract_candidates((read_utf8(f) for f in files), known, min_count)
    text = format_candidates(candidates)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{output}: cannot write ({exc.strerror})") from None
    typer.echo(f"{len(candidates)} candidate terms written to {output}", err=True)


@glossary_app.command()
def check(
    file: Path = typer.Argument(..., help="Glossary file (.tsv, .csv or .tbx)."),
    fmt: Optional[str] = typer.Option(None, "--format", help=f"One of {', '.join(FORMATS)} (default: from extension)."),
) -> None:
    """Validate a glossary: one line per problem (all of them) with file and line; exit 2 on errors."""
    with glossary_errors():
        report = check_glossary(file, fmt)
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if report.errors:
        raise UserError(f"{file}: {len(report.errors)} error(s); {report.entries} good entries")
    typer.echo(f"{file}: OK, {report.entries} entries, {report.forms} source forms")


@glossary_app.command()
def export(
    output: Path = typer.Argument(..., help="File to write; format from its extension (.tsv, .csv, .tbx)."),
    source: Optional[Path] = typer.Option(None, "--from", help="Glossary to convert (default: the built-in one)."),
    fmt: Optional[str] = typer.Option(None, "--format", help=f"One of {', '.join(FORMATS)} (default: from extension)."),
    tbx_version: int = typer.Option(2, "--tbx-version", help="TBX flavour: 2 = TBX-Basic <martif> (default), 3 = TBX v3."),
) -> None:
    """Export a glossary (by default the built-in news glossary) as OmegaT TSV, CSV or TBX (TBX-Basic v2 or v3)."""
    if tbx_version not in TBX_VERSIONS:
        raise UserError(f"--tbx-version {tbx_version}: choose 2 (TBX-Basic) or 3 (TBX v3)")
    with glossary_errors():
        glossary = read_glossary(source) if source else builtin_glossary()
        export_glossary(glossary, output, fmt, tbx_version)
    typer.echo(f"{len(glossary)} entries written to {output}", err=True)
