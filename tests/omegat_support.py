"""OmegaT projects from our outputs, and a headless OmegaT run that reports what OmegaT made of them (test support).

`build_project` lays out a project whose `tm/auto/` memory pre-translates the French file with our
English; `run_console_translate` runs OmegaT's console mode on it and reads back, through OmegaT's own
classes, the segments it saw, the translations it applied and the glossary entries it parsed.

Segmentation choice: by default the project turns OmegaT's sentence segmentation off and the memory
carries a unit for every line-run of sentences (`segtype="paragraph"`) besides the sentence units.
OmegaT's SRX rules cannot reproduce our segmenter in general, whereas a paragraph is the same unit
for both tools, so every segment gets an exact match whatever the text.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from translate.document import Document
from translate.errors import EXIT_FAILURE, UserError
from translate.formats import WriteOptions
from translate.formats.tmx import TmxWriter
from translate.formats.xmltext import xml_text

DEFAULT_JAR = Path("/usr/share/omegat/OmegaT.jar")
JAR_ENV = "OMEGAT_JAR"
"""Environment variable naming another OmegaT.jar (e.g. a newer OmegaT unpacked by hand)."""

TOKENIZERS = {
    "fr": "org.omegat.tokenizer.LuceneFrenchTokenizer",
    "en": "org.omegat.tokenizer.LuceneEnglishTokenizer",
}
DEFAULT_TOKENIZER = "org.omegat.tokenizer.LuceneStandardTokenizer"

DUMP_PROPERTY = "translate.dump"
DUMP_SCRIPT = """\
// Written by tests/omegat_support.py: records what OmegaT loaded, in OmegaT's own terms, as JSON.
import org.omegat.core.Core
import groovy.json.JsonOutput
def project = Core.getProject()
if (project == null || !project.isProjectLoaded()) return
def entries = project.getAllEntries().collect { ste ->
    def info = project.getTranslationInfo(ste)
    [file: ste.getKey().file, source: ste.getSrcText(),
     target: (info != null && info.isTranslated()) ? info.translation : null]
}
def terms = []
def root = new File(project.getProjectProperties().getGlossaryRoot())
if (root.isDirectory()) root.eachFileRecurse { f ->
    def name = f.name.toLowerCase()
    if (f.isFile() && (name.endsWith(".txt") || name.endsWith(".utf8") || name.endsWith(".tab"))) {
        org.omegat.gui.glossary.GlossaryReaderTSV.read(f, false).each { g ->
            terms << [file: f.name, source: g.getSrcText(), target: g.getLocText(), comment: g.getCommentText()]
        }
    }
}
new File(System.getProperty("%s")).setText(JsonOutput.toJson([entries: entries, glossary: terms]), "UTF-8")
""" % DUMP_PROPERTY


@dataclass(frozen=True)
class OmegatProject:
    """Paths of a project laid out by `build_project`."""

    root: Path
    source_file: Path
    target_file: Path
    memory_file: Path
    glossary_file: Path | None


@dataclass
class OmegatEntry:
    """One segment as OmegaT sees it; `target` is None when OmegaT found no translation."""

    file: str
    source: str
    target: str | None


@dataclass
class GlossaryTerm:
    source: str
    target: str
    comment: str
    file: str


@dataclass
class OmegatRun:
    """What one console-translate run produced."""

    entries: list[OmegatEntry]
    glossary: list[GlossaryTerm]
    target_text: str
    project: OmegatProject
    log: str = field(repr=False, default="")


def find_omegat_jar() -> Path | None:
    """OmegaT.jar from $OMEGAT_JAR or the Debian package, when Java and the jar are both there."""
    jar = Path(os.environ.get(JAR_ENV) or DEFAULT_JAR)
    if not jar.is_file() or shutil.which("java") is None:
        return None
    return jar


def project_properties(source_lang: str, target_lang: str, sentence_segmentation: bool) -> str:
    """The `omegat.project` file: default folders, languages, tokenizers, segmentation switch."""
    def tokenizer(lang: str) -> str:
        return TOKENIZERS.get(lang.split("-")[0].lower(), DEFAULT_TOKENIZER)

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<omegat>\n"
        '  <project version="1.0">\n'
        "    <source_dir>__DEFAULT__</source_dir>\n"
        "    <target_dir>__DEFAULT__</target_dir>\n"
        "    <tm_dir>__DEFAULT__</tm_dir>\n"
        "    <glossary_dir>__DEFAULT__</glossary_dir>\n"
        "    <glossary_file>__DEFAULT__</glossary_file>\n"
        "    <dictionary_dir>__DEFAULT__</dictionary_dir>\n"
        f"    <source_lang>{xml_text(source_lang)}</source_lang>\n"
        f"    <target_lang>{xml_text(target_lang)}</target_lang>\n"
        f"    <source_tok>{tokenizer(source_lang)}</source_tok>\n"
        f"    <target_tok>{tokenizer(target_lang)}</target_tok>\n"
        f"    <sentence_seg>{'true' if sentence_segmentation else 'false'}</sentence_seg>\n"
        "    <support_default_translations>true</support_default_translations>\n"
        "    <remove_tags>false</remove_tags>\n"
        "  </project>\n"
        "</omegat>\n"
    )


def build_project(
    root: Path,
    document: Document,
    options: WriteOptions,
    *,
    source_name: str | None = None,
    glossary_tsv: str | None = None,
    sentence_segmentation: bool = False,
) -> OmegatProject:
    """Lay out an OmegaT project in `root`: the French text, our TMX in tm/auto, the glossary."""
    name = source_name or document.name or "text.txt"
    if Path(name).suffix.lower() != ".txt":
        name += ".txt"  # OmegaT picks its plain-text filter by extension
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "omegat.project").write_text(
        project_properties(options.source_locale, options.target_locale, sentence_segmentation), encoding="utf-8"
    )
    source_file = root / "source" / name
    source_file.write_text(document.source_text, encoding="utf-8", newline="")
    stem = Path(name).stem
    memory = root / "tm" / "auto" / f"{stem}.tmx"
    memory.write_text(TmxWriter(paragraph_units=True).render(document, options), encoding="utf-8", newline="")
    glossary = None
    if glossary_tsv is not None:
        glossary = root / "glossary" / f"{stem}.utf8"  # `.utf8` makes OmegaT read UTF-8 without guessing
        glossary.write_text(glossary_tsv, encoding="utf-8", newline="")
    return OmegatProject(root, source_file, root / "target" / name, memory, glossary)


def console_command(jar: Path, project: Path, config_dir: Path, script: Path, dump: Path) -> list[str]:
    """The headless console-translate command line, with a private config dir and no team/lock side effects.

    A console run lasts seconds: the JVM's quick compiler alone and its serial collector halve its CPU
    time (8.5 → 4.5 CPU-s for tests/test_omegat.py) and change nothing OmegaT computes."""
    return [
        "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", f"-D{DUMP_PROPERTY}={dump}",
        "-jar", str(jar), str(project), "--mode=console-translate", f"--config-dir={config_dir}",
        "--disable-project-locking", "--no-team", "--quiet", f"--script={script}",
    ]


def run_console_translate(project: OmegatProject, jar: Path | None = None, timeout: float = 120) -> OmegatRun:
    """Run OmegaT headless on `project`; return its segments, their translations and the target file."""
    jar = jar or find_omegat_jar()
    if jar is None:
        raise UserError(f"OmegaT is not installed (no java or no {DEFAULT_JAR}): run `sudo apt-get install omegat`")
    with tempfile.TemporaryDirectory(prefix="omegat-run-") as scratch:
        work = Path(scratch)
        script, dump = work / "dump.groovy", work / "dump.json"
        script.write_text(DUMP_SCRIPT, encoding="utf-8")
        command = console_command(jar, project.root, work / "config", script, dump)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise UserError(f"OmegaT did not finish within {timeout:.0f} s", EXIT_FAILURE) from None
        log = done.stdout + done.stderr
        if done.returncode != 0 or not dump.is_file():
            tail = " | ".join(log.strip().splitlines()[-3:])
            raise UserError(f"OmegaT console-translate failed (exit {done.returncode}): {tail}", EXIT_FAILURE)
        data = json.loads(dump.read_text(encoding="utf-8"))
    target = project.target_file.read_text(encoding="utf-8") if project.target_file.is_file() else ""
    return OmegatRun(
        entries=[OmegatEntry(e["file"], e["source"], e["target"]) for e in data["entries"]],
        glossary=[GlossaryTerm(g["source"], g["target"], g["comment"], g["file"]) for g in data["glossary"]],
        target_text=target,
        project=project,
        log=log,
    )
