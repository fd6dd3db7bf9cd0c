"""Model management: discovery, safe install of .argosmodel files, index install, removal, CLI."""

from __future__ import annotations

import functools
import http.server
import json
import re
import socket
import stat
import threading
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from translate import models
from translate.cli_models import models_app
from translate.errors import EXIT_FAILURE, EXIT_USAGE, UserError
from translate.models import InstallLimits, ModelConfig, ModelEntry

TOP = "translate-fr_en-1_9"
META = {
    "package_version": "1.9",
    "argos_version": "1.9.0",
    "from_code": "fr",
    "to_code": "en",
    "from_name": "French",
    "to_name": "English",
    "type": "translate",
}


def package_members(top: str = TOP, meta: dict | None = None, version: str | None = None) -> dict[str, bytes]:
    """The members of a minimal, valid Argos package (dummy model bytes)."""
    meta = dict(META if meta is None else meta)
    if version:
        meta["package_version"] = version
    return {
        f"{top}/metadata.json": json.dumps(meta).encode(),
        f"{top}/model/model.bin": b"weights " + (version or "1.9").encode(),
        f"{top}/model/config.json": b"{}",
        f"{top}/model/shared_vocabulary.json": b'["<s>", "</s>"]',
        f"{top}/sentencepiece.model": b"spm",
    }


def write_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def make_package(tmp_path: Path, name: str = "pkg.argosmodel", **kwargs) -> Path:
    return write_zip(tmp_path / name, package_members(**kwargs))


def make_dir_model(root: Path, members: dict[str, bytes]) -> None:
    for name, data in members.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def visible(directory: Path) -> list[str]:
    """Entries of the package dir, plus any of our temp dirs left next to it (there must be none)."""
    names = sorted(p.name for p in directory.iterdir()) if directory.exists() else []
    return names + sorted(p.name for p in directory.parent.glob(".translate-*"))


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Never read the developer's real package dir, config or index URL; never use a proxy."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "env-packages"))
    monkeypatch.setenv("TRANSLATE_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TRANSLATE_PACKAGE_INDEX", raising=False)
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def pkgdir(tmp_path) -> Path:
    return tmp_path / "packages"


NO_CONFIG = ModelConfig([], [])

# ---------------------------------------------------------------- locations


def test_argos_packages_dir_env_wins(tmp_path):
    env = {"ARGOS_PACKAGES_DIR": "/opt/argos", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"}
    assert models.default_packages_dir(env) == Path("/opt/argos")


def test_xdg_data_home_then_home_fallback():
    assert models.default_packages_dir({"XDG_DATA_HOME": "/xdg", "HOME": "/home/u"}) == Path(
        "/xdg/argos-translate/packages"
    )
    assert models.default_packages_dir({"HOME": "/home/u"}) == Path("/home/u/.local/share/argos-translate/packages")
    # the XDG spec says a relative value is invalid and must be ignored
    assert models.default_packages_dir({"XDG_DATA_HOME": "rel", "HOME": "/h"}) == Path(
        "/h/.local/share/argos-translate/packages"
    )


def test_packages_dir_option_wins_over_env(tmp_path):
    assert models.packages_dir(tmp_path / "opt", {"ARGOS_PACKAGES_DIR": "/env"}) == tmp_path / "opt"
    assert models.packages_dir(None, {"ARGOS_PACKAGES_DIR": "/env"}) == Path("/env")


def test_config_dir_resolution():
    assert models.config_dir({"TRANSLATE_HOME": "/t", "XDG_CONFIG_HOME": "/c", "HOME": "/h"}) == Path("/t")
    assert models.config_dir({"XDG_CONFIG_HOME": "/c", "HOME": "/h"}) == Path("/c/translate-fr-en")
    assert models.config_dir({"HOME": "/h"}) == Path("/h/.config/translate-fr-en")


# ---------------------------------------------------------------- install, list, best


def test_install_then_list_and_best(tmp_path, pkgdir):
    model = models.install_file(make_package(tmp_path), pkgdir)
    assert model.ok, model.problem
    assert (model.name, model.from_code, model.to_code, model.version, model.kind) == (TOP, "fr", "en", "1.9", "argos")
    assert model.path == pkgdir / TOP
    assert model.model_dir == pkgdir / TOP / "model"
    assert model.source_spm == model.target_spm == pkgdir / TOP / "sentencepiece.model"
    assert (pkgdir / TOP / "model" / "model.bin").read_bytes() == b"weights 1.9"
    assert visible(pkgdir) == [TOP]  # no temp dir left behind

    found = models.find_packages(pkgdir, NO_CONFIG)
    assert [m.name for m in found] == [TOP]
    assert found[0].source == pkgdir


def test_best_model_takes_highest_version_not_string_order(tmp_path, pkgdir):
    models.install_file(make_package(tmp_path, "a.argosmodel", top="fr_en-1_9", version="1.9"), pkgdir)
    models.install_file(make_package(tmp_path, "b.argosmodel", top="fr_en-1_10", version="1.10"), pkgdir)
    other = dict(META, from_code="en", to_code="fr", package_version="9.0")
    models.install_file(make_package(tmp_path, "c.argosmodel", top="en_fr-9", meta=other), pkgdir)
    found = models.find_packages(pkgdir, NO_CONFIG)
    best = models.best_model("fr", "en", found)
    assert best is not None and best.name == "fr_en-1_10"
    assert models.best_model("en", "fr", found).name == "en_fr-9"
    assert models.best_model("de", "en", found) is None


def test_best_model_skips_broken_packages(tmp_path, pkgdir):
    models.install_file(make_package(tmp_path, top="good", version="1.0"), pkgdir)
    make_dir_model(pkgdir / "broken", {"metadata.json": json.dumps(dict(META, package_version="9.9")).encode()})
    assert models.best_model("fr", "en", models.find_packages(pkgdir, NO_CONFIG)).name == "good"


def test_broken_dirs_are_listed_with_a_reason(pkgdir):
    make_dir_model(pkgdir / "no-meta", {"model/model.bin": b"x"})
    make_dir_model(pkgdir / "bad-json", {"metadata.json": b"{not json", "model/model.bin": b"x"})
    make_dir_model(pkgdir / "no-model", {"metadata.json": json.dumps(META).encode(), "sentencepiece.model": b"s"})
    make_dir_model(
        pkgdir / "no-spm", {"metadata.json": json.dumps(META).encode(), "model/model.bin": b"x"}
    )
    make_dir_model(pkgdir / "no-to", {"metadata.json": b'{"from_code": "fr"}', "model/model.bin": b"x"})
    make_dir_model(pkgdir / ".translate-installing-x", {"junk": b"x"})  # hidden: an install in progress
    (pkgdir / "stray.argosmodel").write_bytes(b"not a dir")
    problems = {m.name: m.problem for m in models.find_packages(pkgdir, NO_CONFIG)}
    assert set(problems) == {"no-meta", "bad-json", "no-model", "no-spm", "no-to"}
    assert problems["no-to"] == "metadata.json lacks to_code"
    assert "metadata.json" in problems["no-meta"]
    assert "metadata.json unreadable" in problems["bad-json"]
    assert "model.bin" in problems["no-model"]
    assert "SentencePiece" in problems["no-spm"]


def test_missing_packages_dir_lists_nothing(tmp_path):
    assert models.find_packages(tmp_path / "nowhere", NO_CONFIG) == []


# ---------------------------------------------------------------- config.toml and CTranslate2 dirs


def test_config_model_dirs_and_entries(tmp_path, pkgdir):
    extra = tmp_path / "extra"
    make_dir_model(extra / "opus-mt-fr-en", {"model.bin": b"x", "source.spm": b"s", "target.spm": b"t"})
    make_dir_model(tmp_path / "finetune", {"model.bin": b"x", "sentencepiece.model": b"s"})
    make_dir_model(tmp_path / "mystery", {"model.bin": b"x", "sentencepiece.model": b"s"})
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(
        f'model_dirs = ["{extra}", "{tmp_path / "mystery"}", "{tmp_path / "gone"}"]\n'
        "[[model]]\n"
        f'path = "../finetune"\nfrom = "fr"\nto = "en"\nname = "my-ft"\nversion = "2.0"\n'
    )
    found = {m.name: m for m in models.find_packages(pkgdir)}  # config read from $TRANSLATE_HOME
    opus = found["opus-mt-fr-en"]
    assert (opus.kind, opus.from_code, opus.to_code, opus.ok) == ("ct2", "fr", "en", True)
    assert opus.model_dir == extra / "opus-mt-fr-en" and opus.target_spm.name == "target.spm"
    assert opus.source == extra
    ft = found["my-ft"]
    assert (ft.kind, ft.version, ft.ok, ft.path) == ("ct2", "2.0", True, config / "../finetune")
    assert "languages unknown" in found["mystery"].problem
    assert "not found" in found["gone"].problem
    assert models.best_model("fr", "en", found.values()).name == "my-ft"


@pytest.mark.parametrize(
    "name, pair",
    [
        ("opus-mt-fr-en", ("fr", "en")),
        ("fr_en-ct2-int8", ("fr", "en")),
        ("my-fr-en-big", ("fr", "en")),
        ("fra-eng", ("fra", "eng")),
        ("nllb-distilled", ("", "")),
    ],
)
def test_language_pair_from_dir_name(name, pair):
    assert models._pair_from_name(name) == pair


def test_bad_config_toml_is_a_user_error(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("model_dirs = [unquoted]\n")
    with pytest.raises(UserError, match="config.toml"):
        models.find_packages(tmp_path / "packages")


def test_config_entry_gives_languages_for_an_unnamed_dir(tmp_path):
    make_dir_model(tmp_path / "m", {"model.bin": b"x", "sentencepiece.model": b"s"})
    config = ModelConfig([], [ModelEntry(tmp_path / "m", "fr", "en")])
    (model,) = models.find_packages(tmp_path / "packages", config)
    assert model.ok and model.name == "m"


# ---------------------------------------------------------------- refusals: nothing written


def assert_refused(archive: Path, pkgdir: Path, match: str, limits: InstallLimits = InstallLimits()) -> None:
    with pytest.raises(UserError, match=match) as info:
        models.install_file(archive, pkgdir, limits=limits)
    assert info.value.code == EXIT_USAGE
    assert not pkgdir.exists(), "nothing may be written before the archive is checked"


def test_not_a_zip(tmp_path, pkgdir):
    fake = tmp_path / "fake.argosmodel"
    fake.write_bytes(b"this is text")
    assert_refused(fake, pkgdir, re.escape(f"{fake} is not a .argosmodel (zip) file"))


def test_missing_file(tmp_path, pkgdir):
    assert_refused(tmp_path / "absent.argosmodel", pkgdir, "no such file")


@pytest.mark.parametrize("evil", ["../evil", f"{TOP}/../../evil", "/tmp/evil-abs", f"{TOP}\\..\\..\\evil", "C:/evil"])
def test_zip_slip_is_refused(tmp_path, pkgdir, evil):
    members = package_members()
    members[evil] = b"pwned"
    assert_refused(write_zip(tmp_path / "slip.argosmodel", members), pkgdir, "absolute path|outside")
    assert not (tmp_path / "evil").exists()


def test_symlink_member_is_refused(tmp_path, pkgdir):
    archive = make_package(tmp_path)
    with zipfile.ZipFile(archive, "a") as zf:
        link = zipfile.ZipInfo(f"{TOP}/model/link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    assert_refused(archive, pkgdir, "symbolic link")


@pytest.mark.parametrize(
    "drop, match",
    [
        ("metadata.json", "metadata.json is missing"),
        ("model/model.bin", "model/model.bin is missing"),
        ("sentencepiece.model", "sentencepiece.model is missing"),
    ],
)
def test_missing_required_member(tmp_path, pkgdir, drop, match):
    members = package_members()
    del members[f"{TOP}/{drop}"]
    assert_refused(write_zip(tmp_path / "p.argosmodel", members), pkgdir, match)


def test_source_and_target_spm_are_accepted(tmp_path, pkgdir):
    members = package_members()
    del members[f"{TOP}/sentencepiece.model"]
    members[f"{TOP}/model/source.spm"] = b"s"
    members[f"{TOP}/model/target.spm"] = b"t"
    model = models.install_file(write_zip(tmp_path / "p.argosmodel", members), pkgdir)
    assert model.ok and model.source_spm.name == "source.spm"


@pytest.mark.parametrize(
    "metadata, match",
    [(b"{oops", "not valid JSON"), (b"[1, 2]", "not a JSON object"), (json.dumps({"from_code": "fr"}).encode(), "to_code")],
)
def test_bad_metadata(tmp_path, pkgdir, metadata, match):
    members = package_members()
    members[f"{TOP}/metadata.json"] = metadata
    assert_refused(write_zip(tmp_path / "p.argosmodel", members), pkgdir, match)


def test_two_top_folders_or_loose_files(tmp_path, pkgdir):
    two = package_members() | {"other/readme.txt": b"x"}
    assert_refused(write_zip(tmp_path / "two.argosmodel", two), pkgdir, "exactly one top-level folder")
    loose = package_members() | {"readme.txt": b"x"}
    assert_refused(write_zip(tmp_path / "loose.argosmodel", loose), pkgdir, "outside the package folder")


def test_unsupported_or_encrypted_members(tmp_path, pkgdir):
    for flag, change, match in [("enc", "flag_bits", "encrypted"), ("method", "compress_type", "unsupported compression")]:
        archive = make_package(tmp_path, f"{flag}.argosmodel")
        with zipfile.ZipFile(archive, "a") as zf:
            odd = zipfile.ZipInfo(f"{TOP}/extra.bin")
            zf.writestr(odd, b"data")
        data = bytearray(archive.read_bytes())
        # patch the central directory entry of the last member
        central = data.rfind(b"PK\x01\x02")
        if change == "flag_bits":
            data[central + 8] |= 0x1
        else:
            data[central + 10 : central + 12] = (9).to_bytes(2, "little")  # Deflate64
        archive.write_bytes(bytes(data))
        assert_refused(archive, pkgdir, match)


def test_zip_bomb_total_size(tmp_path, pkgdir):
    members = package_members()
    members[f"{TOP}/model/model.bin"] = b"\0" * 5000
    archive = write_zip(tmp_path / "bomb.argosmodel", members)
    assert_refused(archive, pkgdir, "zip bomb", InstallLimits(max_total_bytes=4096))
    # the same archive is fine under the default limits
    assert models.install_file(archive, pkgdir).ok


def test_zip_bomb_ratio(tmp_path, pkgdir):
    members = package_members()
    members[f"{TOP}/model/model.bin"] = b"\0" * (2 * 1024 * 1024)  # deflates ~1000x
    archive = write_zip(tmp_path / "bomb.argosmodel", members)
    assert_refused(archive, pkgdir, "expands .*zip bomb")
    stored = write_zip(tmp_path / "stored.argosmodel", members, zipfile.ZIP_STORED)
    assert models.install_file(stored, pkgdir).ok


def test_member_larger_than_declared_is_stopped(tmp_path, pkgdir, monkeypatch):
    archive = make_package(tmp_path)
    real_open = zipfile.ZipFile.open

    def lying_open(self, info, *args, **kwargs):  # the header says N bytes, the stream gives more
        stream = real_open(self, info, *args, **kwargs)
        if str(info.filename).endswith("model.bin"):
            import io

            return io.BytesIO(b"x" * (info.file_size + 10))
        return stream

    monkeypatch.setattr(zipfile.ZipFile, "open", lying_open)
    with pytest.raises(UserError, match="larger than its header"):
        models.install_file(archive, pkgdir)
    assert visible(pkgdir) == []


# ---------------------------------------------------------------- replace and failure atomicity


def test_already_installed_needs_overwrite(tmp_path, pkgdir):
    models.install_file(make_package(tmp_path, "old.argosmodel", version="1.0"), pkgdir)
    newer = make_package(tmp_path, "new.argosmodel", version="2.0")
    with pytest.raises(UserError, match="already installed.*--force"):
        models.install_file(newer, pkgdir)
    assert (pkgdir / TOP / "model" / "model.bin").read_bytes() == b"weights 1.0"
    model = models.install_file(newer, pkgdir, overwrite=True)
    assert model.version == "2.0"
    assert (pkgdir / TOP / "model" / "model.bin").read_bytes() == b"weights 2.0"
    assert visible(pkgdir) == [TOP]


def fail_on_second_member(monkeypatch):
    calls = []
    real = models._copy_member

    def flaky(archive, info, dest):
        calls.append(info.filename)
        if len(calls) == 2:
            raise RuntimeError("disk vanished")
        real(archive, info, dest)

    monkeypatch.setattr(models, "_copy_member", flaky)
    return calls


def test_work_dirs_stay_out_of_the_package_dir(tmp_path, pkgdir, monkeypatch):
    """argostranslate fails on any subdir without metadata.json, so we never stage inside it."""
    seen = []
    real = models._copy_member
    monkeypatch.setattr(models, "_copy_member", lambda a, i, d: (seen.append(d), real(a, i, d)))
    models.install_file(make_package(tmp_path), pkgdir)
    assert seen
    for dest in seen:
        first = dest.resolve().relative_to(tmp_path.resolve()).parts[0]
        assert first.startswith(".translate-installing-"), dest


def test_interrupted_extraction_leaves_nothing(tmp_path, pkgdir, monkeypatch):
    pkgdir.mkdir()
    calls = fail_on_second_member(monkeypatch)
    with pytest.raises(RuntimeError):
        models.install_file(make_package(tmp_path), pkgdir)
    assert len(calls) == 2
    assert visible(pkgdir) == []


def test_interrupted_overwrite_keeps_the_old_package(tmp_path, pkgdir, monkeypatch):
    models.install_file(make_package(tmp_path, "old.argosmodel", version="1.0"), pkgdir)
    fail_on_second_member(monkeypatch)
    with pytest.raises(RuntimeError):
        models.install_file(make_package(tmp_path, "new.argosmodel", version="2.0"), pkgdir, overwrite=True)
    assert visible(pkgdir) == [TOP]
    assert (pkgdir / TOP / "model" / "model.bin").read_bytes() == b"weights 1.0"


def test_failed_final_rename_restores_the_old_package(tmp_path, pkgdir, monkeypatch):
    models.install_file(make_package(tmp_path, "old.argosmodel", version="1.0"), pkgdir)
    real_rename = models.os.rename

    def rename(src, dst):
        if Path(src).name == TOP and Path(dst) == pkgdir / TOP:
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(models.os, "rename", rename)
    with pytest.raises(UserError, match="No space left") as info:
        models.install_file(make_package(tmp_path, "new.argosmodel", version="2.0"), pkgdir, overwrite=True)
    assert info.value.code == EXIT_FAILURE
    assert visible(pkgdir) == [TOP]
    assert (pkgdir / TOP / "model" / "model.bin").read_bytes() == b"weights 1.0"


# ---------------------------------------------------------------- remove


def test_remove_by_name_and_by_path(tmp_path, pkgdir):
    models.install_file(make_package(tmp_path, "a.argosmodel", top="a"), pkgdir)
    models.install_file(make_package(tmp_path, "b.argosmodel", top="b"), pkgdir)
    assert models.remove("a", pkgdir) == pkgdir / "a"
    models.remove(pkgdir / "b", pkgdir)
    assert visible(pkgdir) == []


def test_remove_refuses_unknown_and_outside(tmp_path, pkgdir):
    models.install_file(make_package(tmp_path), pkgdir)
    outside = tmp_path / "precious"
    outside.mkdir()
    with pytest.raises(UserError, match="no package named nope"):
        models.remove("nope", pkgdir)
    with pytest.raises(UserError, match="not in the package dir"):
        models.remove(outside, pkgdir)
    with pytest.raises(UserError, match="not in the package dir"):
        models.remove(f"{TOP}/model", pkgdir)
    for bad in ("..", ".translate-installing-x", ""):
        with pytest.raises(UserError):
            models.remove(bad, pkgdir)
    assert outside.exists() and visible(pkgdir) == [TOP]


# ---------------------------------------------------------------- index install over loopback HTTP


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def served(tmp_path):
    """A loopback HTTP server over tmp_path/www; yields (root dir, base URL)."""
    root = tmp_path / "www"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)  # quick shutdown
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def publish_index(root: Path, base: str) -> str:
    """An index with an old and a new fr→en package (new one first link dead) and an en→fr one."""
    make_package(root, "translate-fr_en-1_0.argosmodel", top="translate-fr_en-1_0", version="1.0")
    make_package(root, "translate-fr_en-1_9.argosmodel", top="translate-fr_en-1_9", version="1.9")
    index = [
        dict(META, package_version="1.0", links=[f"{base}/translate-fr_en-1_0.argosmodel"]),
        dict(META, from_code="en", to_code="fr", package_version="5.0", links=[f"{base}/nope.argosmodel"]),
        dict(META, links=[f"{base}/missing.argosmodel", f"{base}/translate-fr_en-1_9.argosmodel"]),
        dict(META, package_version="9.0", links=[]),
        "not a package",
    ]
    (root / "index.json").write_text(json.dumps(index))
    return f"{base}/index.json"


def test_install_from_index_takes_newest_and_falls_back_to_next_link(served, pkgdir, capsys):
    root, base = served
    url = publish_index(root, base)
    model = models.install_from_index("fr", "en", url, pkgdir, progress=False)
    assert (model.name, model.version, model.ok) == ("translate-fr_en-1_9", "1.9", True)
    assert visible(pkgdir) == ["translate-fr_en-1_9"]  # no download leftovers
    assert capsys.readouterr().err == ""  # quiet means quiet
    with pytest.raises(UserError, match="already installed.*--force"):
        models.install_from_index("fr", "en", url, pkgdir, progress=False)
    assert models.install_from_index("fr", "en", url, pkgdir, progress=True, overwrite=True).ok
    captured = capsys.readouterr()
    assert "translate-fr_en-1_9.argosmodel" in captured.err and captured.out == ""  # the bar is on stderr


def test_index_without_the_pair(served, pkgdir):
    root, base = served
    url = publish_index(root, base)
    with pytest.raises(UserError, match="has no de→en package"):
        models.install_from_index("de", "en", url, pkgdir, progress=False)


def test_dead_package_link_is_a_clean_error(served, pkgdir):
    root, base = served
    url = publish_index(root, base)
    with pytest.raises(UserError, match=r"cannot download .*nope.argosmodel: HTTP 404") as info:
        models.install_from_index("en", "fr", url, pkgdir, progress=False)
    assert info.value.code == EXIT_FAILURE
    assert visible(pkgdir) == []


def test_index_that_is_not_json(served, pkgdir):
    root, base = served
    (root / "index.json").write_text("<html>")
    with pytest.raises(UserError, match="not valid JSON"):
        models.install_from_index("fr", "en", f"{base}/index.json", pkgdir, progress=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_index_is_one_clean_line(pkgdir):
    url = f"http://127.0.0.1:{free_port()}/index.json"
    with pytest.raises(UserError) as info:
        models.install_from_index("fr", "en", url, pkgdir, progress=False)
    message = str(info.value)
    assert message.startswith(f"cannot reach the package index at {url}: ")
    assert "\n" not in message and info.value.code == EXIT_FAILURE
    assert not pkgdir.exists() or visible(pkgdir) == []


def test_index_url_resolution():
    from translate.fetch import DEFAULT_INDEX_URL

    assert models.resolve_index_url(None, {}) == DEFAULT_INDEX_URL
    assert models.resolve_index_url(None, {"TRANSLATE_PACKAGE_INDEX": "http://mirror/i.json"}) == "http://mirror/i.json"
    assert models.resolve_index_url("http://cli/i.json", {"TRANSLATE_PACKAGE_INDEX": "http://x"}) == "http://cli/i.json"


def test_only_fetch_touches_the_network():
    network = re.compile(r"^\s*(import|from)\s+(urllib|socket|http|requests|httpx|aiohttp)\b", re.M)
    package = Path(models.__file__).parent
    # translate/distributed/cluster.py also may: it checks that the Ray address the user gave answers (--ray-address)
    allowed = {package / "fetch.py", package / "distributed" / "cluster.py"}
    offenders = [p.name for p in package.rglob("*.py") if p not in allowed and network.search(p.read_text())]
    assert offenders == []


# ---------------------------------------------------------------- CLI


@pytest.fixture
def cli():
    app = typer.Typer()
    app.add_typer(models_app, name="models")

    @app.callback()
    def main() -> None:  # a callback keeps "models" a real subcommand
        pass

    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["models", *map(str, args)], env={"COLUMNS": "250"})


def test_cli_install_list_remove(tmp_path, pkgdir, cli):
    archive = make_package(tmp_path)
    result = cli("install", archive, "--packages-dir", pkgdir)
    assert result.exit_code == 0, result.output
    assert f"installed {TOP} (fr→en 1.9)" in result.stdout

    result = cli("install", archive, "--packages-dir", pkgdir)
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.strip().splitlines() == [f"error: {TOP} is already installed in {pkgdir}; use --force to replace it"]
    assert cli("install", archive, "--packages-dir", pkgdir, "--force").exit_code == 0

    make_dir_model(pkgdir / "junk", {"readme": b"x"})
    result = cli("list", "--packages-dir", pkgdir)
    assert result.exit_code == 0, result.output
    assert TOP in result.stdout and "fr→en" in result.stdout and "used for fr→en" in result.stdout
    assert "junk" in result.stdout and "broken" in result.stdout

    result = cli("remove", TOP, "--packages-dir", pkgdir)
    assert result.exit_code == 0 and not (pkgdir / TOP).exists()
    result = cli("remove", TOP, "--packages-dir", pkgdir)
    assert result.exit_code == EXIT_USAGE and result.stderr.startswith("error: no package named")


def test_cli_uses_argos_packages_dir_env(tmp_path, cli):
    assert cli("install", make_package(tmp_path)).exit_code == 0
    assert (tmp_path / "env-packages" / TOP / "metadata.json").is_file()
    result = cli("list")
    assert TOP in result.stdout


def test_cli_errors(tmp_path, pkgdir, cli):
    result = cli("install", "fr", "--packages-dir", pkgdir)
    assert result.exit_code == EXIT_USAGE and "give both languages" in result.stderr
    (tmp_path / "x.argosmodel").write_text("no zip")
    result = cli("install", tmp_path / "x.argosmodel", "--packages-dir", pkgdir)
    assert result.exit_code == EXIT_USAGE and "is not a .argosmodel (zip) file" in result.stderr
    result = cli("list", "--packages-dir", pkgdir)
    assert result.exit_code == 0 and "No models" in result.stderr


def test_cli_install_from_index(served, pkgdir, cli, monkeypatch):
    root, base = served
    url = publish_index(root, base)
    result = cli("install", "fr", "en", "--index-url", url, "--packages-dir", pkgdir, "--quiet")
    assert result.exit_code == 0, result.output
    assert "translate-fr_en-1_9" in result.stdout
    monkeypatch.setenv("TRANSLATE_PACKAGE_INDEX", f"http://127.0.0.1:{free_port()}/i.json")
    result = cli("install", "fr", "en", "--packages-dir", pkgdir, "--quiet")
    assert result.exit_code == EXIT_FAILURE
    assert result.stderr.startswith("error: cannot reach the package index at http://127.0.0.1:")
