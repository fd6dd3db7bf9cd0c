"""Offline guarantee: everything but `translate models install` works with sockets blocked.

The commands run in a child Python whose sitecustomize makes any internet socket raise (and records
the attempt), and again inside a network namespace without interfaces when `unshare -n` is allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from translate.engines.apertium import apertium_status

ARTICLE = "Titre du texte\n\nLe sommet de l’OTSC s’est ouvert mardi. M. Dupont a parlé de l’OTAN.\n"

ENGLISH = "Title of the text\n\nThe CSTO summit opened on Tuesday. Mr Dupont spoke about NATO.\n"

BLOCKER = '''
import socket, sys
_real = socket.socket
class _Blocked(_real):
    def __init__(self, family=-1, *args, **kwargs):
        if family in (socket.AF_INET, socket.AF_INET6) or family == -1:
            sys.stderr.write("NETWORK-ATTEMPT\\n")
            raise OSError("network blocked by test")
        super().__init__(family, *args, **kwargs)
socket.socket = _Blocked
def _no(*a, **k):
    sys.stderr.write("NETWORK-ATTEMPT\\n")
    raise OSError("network blocked by test")
socket.create_connection = _no
socket.getaddrinfo = _no
'''


def _blocked_env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "blocker"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(BLOCKER)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
    env["HOME"] = str(tmp_path / "home")
    env["ARGOS_PACKAGES_DIR"] = str(tmp_path / "packages")
    return env


RUN_ALL = """
import json, sys
from translate.cli import main
for args in json.loads(sys.argv[1]):
    sys.argv = ["translate", *args]
    sys.stderr.write(f"COMMAND {args[:2]}\\n")
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    if code:
        sys.exit(f"COMMAND FAILED with {code}: {args}")
"""
"""Every command in one child interpreter, one after the other, as `translate.cli.main` runs it (a new
interpreter per command cost most of this module's time); the first failing command stops it."""


def _translate_all(commands: list[list[str]], env: dict[str, str], prefix: list[str] = ()) -> subprocess.CompletedProcess:
    command = [*prefix, sys.executable, "-c", RUN_ALL, json.dumps(commands)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _commands(tmp_path: Path, model: Path) -> list[list[str]]:
    article = tmp_path / "article.fr.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    english = tmp_path / "article.en.txt"
    english.write_text(ENGLISH, encoding="utf-8")
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("Erevan\tYerevan\n", encoding="utf-8")
    commands = [
        ["run", str(article), "--model", str(model), "-o", str(tmp_path / "out-neural"), "--overwrite", "--quiet",
         "--glossary", str(glossary)],
        ["align", str(article), str(english), "-o", str(tmp_path / "out-align"), "--overwrite", "--quiet"],
        ["engines"],
        ["models", "list"],
        ["glossary", "check", str(glossary)],
        ["glossary", "extract", str(article), "-o", str(tmp_path / "candidates.tsv")],
    ]
    if apertium_status()[0]:
        commands.append(["run", str(article), "--engine", "apertium", "-o", str(tmp_path / "out-apertium"),
                         "--overwrite", "--quiet"])
    return commands


def test_blocker_really_blocks(tmp_path):
    env = _blocked_env(tmp_path)
    probe = subprocess.run([sys.executable, "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9')"],
                           env=env, capture_output=True, text=True)
    assert probe.returncode != 0 and "NETWORK-ATTEMPT" in probe.stderr


def test_commands_work_with_sockets_blocked(tmp_path, synthetic_package):
    env = _blocked_env(tmp_path)
    commands = _commands(tmp_path, synthetic_package)
    result = _translate_all(commands, env)
    assert result.returncode == 0, result.stderr
    assert "NETWORK-ATTEMPT" not in result.stderr, result.stderr
    assert result.stderr.count("COMMAND ") == len(commands)  # every command ran
    assert (tmp_path / "out-neural" / "article.en.txt").exists()
    assert (tmp_path / "out-align" / "article.fr-en.tmx").exists()


def _can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _can_unshare(), reason="unshare -n (network namespace) not permitted here")
def test_commands_work_in_a_network_namespace(tmp_path, synthetic_package):
    env = _blocked_env(tmp_path)
    commands = _commands(tmp_path, synthetic_package)
    result = _translate_all(commands, env, prefix=["unshare", "-rn"])
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("COMMAND ") == len(commands)


def test_import_stays_lean():
    code = (
        "import sys, translate, translate.cli, translate.pipeline\n"
        "heavy = [m for m in ('torch', 'stanza', 'spacy', 'argostranslate', 'ctranslate2') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
