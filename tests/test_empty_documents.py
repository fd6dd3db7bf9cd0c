"""An empty (or blank) document is said to be empty, as an empty text file is, not 'named like X but not X'."""
from pathlib import Path

import pytest
from support import run_cli


@pytest.mark.parametrize("name", ["page.fr.html", "notes.fr.md", "sous-titres.fr.srt", "projet.fr.xlf",
                                  "article.fr.docx"])
@pytest.mark.parametrize("content,said", [(b"", "is empty"), (b" \n\n", "holds only whitespace")])
def test_an_empty_document_is_refused_as_empty(tmp_path: Path, name: str, content: bytes, said: str):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("run", str(path), "-e", "apertium")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: {path} {said}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
