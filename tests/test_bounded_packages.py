"""Bounded resources for models (issue 14: 3, 4, 5, 6, 10, 13): every case through `python -m translate.cli`.

Bad packages are listed and skipped, never an exception; downloads have a deadline and a minimum rate;
redirects stay on http(s); zip bombs are refused as a whole; temp folders of killed installs are cleaned.
Servers listen on 127.0.0.1 only; every server loop and every command has a time bound.
"""

from __future__ import annotations

import fcntl
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Callable

import pytest

from support import run_cli
from translate.errors import EXIT_FAILURE, EXIT_USAGE

TOP = "translate-fr_en-1_9"
META = {"package_version": "1.9", "from_code": "fr", "to_code": "en", "type": "translate"}
COMMAND_TIMEOUT = 60


# ---------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback servers only: no proxy may stand in between."""
    for var in ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def translate(*args: object, timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess:
    return run_cli(*map(str, args), timeout=timeout, cwd=Path.cwd())


def start_translate(*args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "translate.cli", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The command's stderr, asserting it is exactly one `error: ...` line."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def members(top: str = TOP, meta: object = None, metadata_text: str | None = None) -> dict[str, bytes]:
    """A minimal Argos package layout (dummy weights)."""
    text = metadata_text if metadata_text is not None else json.dumps(META if meta is None else meta)
    return {
        f"{top}/metadata.json": text.encode(),
        f"{top}/model/model.bin": b"weights",
        f"{top}/model/shared_vocabulary.json": b'["<s>"]',
        f"{top}/sentencepiece.model": b"spm",
    }


def write_zip(path: Path, files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def leftovers(pkgdir: Path) -> list[str]:
    """Our temp dirs wherever `models` may put them (next to the package dir, or inside it)."""
    return sorted(p.name for d in (pkgdir.parent, pkgdir) if d.is_dir() for p in d.glob(".translate-*"))


NESTED = '{"from_code": "fr", "to_code": "en", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
BAD_METADATA = {
    "long version string": json.dumps(dict(META, package_version="1" * 5000)),
    "5000-digit number": json.dumps(META)[:-1] + ', "package_version": ' + "9" * 5000 + "}",
    "4000-digit number": json.dumps(dict(META, package_version=int("9" * 4000))),
    "deeply nested": NESTED,
}


# ---------------------------------------------------------------- 14.3 one bad package


@pytest.mark.parametrize("case", BAD_METADATA)
def test_install_refuses_unusable_metadata_in_one_line(tmp_path: Path, case: str) -> None:
    archive = write_zip(tmp_path / "bad.argosmodel", members(metadata_text=BAD_METADATA[case]))
    pkgdir = tmp_path / "packages"
    result = translate("models", "install", archive, "--packages-dir", pkgdir)
    assert result.returncode == EXIT_USAGE, result.stderr
    line = one_error_line(result)
    assert "metadata.json" in line and len(line) < 300
    assert not (pkgdir / TOP).exists() and leftovers(pkgdir) == []


def test_broken_packages_are_listed_and_skipped_by_every_command(tmp_path: Path, synthetic_package: Path) -> None:
    pkgdir = tmp_path / "packages"
    shutil.copytree(synthetic_package, pkgdir / "good")
    for number, text in enumerate(BAD_METADATA.values()):
        broken = pkgdir / f"broken-{number}"
        shutil.copytree(synthetic_package, broken)
        (broken / "metadata.json").write_text(text, encoding="utf-8")

    listed = translate("models", "list", "--packages-dir", pkgdir)
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[1]: line for line in listed.stdout.splitlines() if "broken-" in line or " good " in line}
    assert all(f"broken-{n}" in rows and "broken: metadata.json" in rows[f"broken-{n}"] for n in range(4)), listed.stdout
    assert "used for fr→en" in rows["good"]
    assert "9999999999" not in listed.stdout and "11111111111" not in listed.stdout  # bad values stay out of the table

    engines = translate("engines", "--packages-dir", pkgdir)
    assert engines.returncode == 0, engines.stderr
    assert engines.stdout.startswith("argos     available")

    article = tmp_path / "a.fr.txt"
    article.write_text("Le conseil se réunit à Bruxelles.\n", encoding="utf-8")
    run = translate("run", article, "--packages-dir", pkgdir, "-o", tmp_path / "out", "--formats", "txt")
    assert run.returncode == 0, run.stderr
    assert "engine argos:good" in run.stderr and (tmp_path / "out" / "a.en.txt").is_file()


def test_run_with_a_deeply_nested_model_metadata_is_one_line(tmp_path: Path, synthetic_package: Path) -> None:
    model = tmp_path / "nested"
    shutil.copytree(synthetic_package, model)
    (model / "metadata.json").write_text(NESTED, encoding="utf-8")
    article = tmp_path / "a.fr.txt"
    article.write_text("Le conseil se réunit à Bruxelles.\n", encoding="utf-8")
    result = translate("run", article, "--model", model, "-o", tmp_path / "out")
    assert result.returncode == EXIT_USAGE
    assert "nested too deeply" in one_error_line(result) and "RecursionError" not in result.stderr


def test_an_office_file_is_not_an_argos_package(tmp_path: Path) -> None:
    docx = write_zip(tmp_path / "report.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>",
                                                "_rels/.rels": b"<Relationships/>"})
    result = translate("models", "install", docx, "--packages-dir", tmp_path / "packages")
    assert result.returncode == EXIT_USAGE
    assert one_error_line(result) == (f"error: {docx} is not an Argos package: "
                                      "no package folder holding metadata.json")


# ---------------------------------------------------------------- 14.6 zip bombs


def test_many_members_under_the_member_ratio_are_refused_as_a_whole(tmp_path: Path) -> None:
    files = members()
    for n in range(24):  # each just under the 1 MiB where the per-member ratio check starts
        files[f"{TOP}/model/part{n:03}.bin"] = bytes(1024 * 1024 - 1)
    bomb = write_zip(tmp_path / "bomb.argosmodel", files)
    assert bomb.stat().st_size < 200_000
    pkgdir = tmp_path / "packages"
    result = translate("models", "install", bomb, "--packages-dir", pkgdir)
    assert result.returncode == EXIT_USAGE, result.stderr
    line = one_error_line(result)
    assert "its own size" in line and "zip bomb" in line
    assert not pkgdir.exists() or list(pkgdir.iterdir()) == []


def test_absolute_size_limit_is_an_option(tmp_path: Path) -> None:
    files = members()
    files[f"{TOP}/model/model.bin"] = os.urandom(4000)
    archive = write_zip(tmp_path / "p.argosmodel", files)
    pkgdir = tmp_path / "packages"
    result = translate("models", "install", archive, "--packages-dir", pkgdir, "--max-size", 3000)
    assert result.returncode == EXIT_USAGE
    assert "unpacks to more than 2.9 KiB, the limit" in one_error_line(result)
    assert not (pkgdir / TOP).exists()


def test_a_large_package_that_barely_compresses_installs(tmp_path: Path) -> None:
    """The whole-archive ratio must not refuse real models: weights hardly compress."""
    files = members()
    files[f"{TOP}/model/model.bin"] = os.urandom(17 * 1024 * 1024)
    archive = write_zip(tmp_path / "big.argosmodel", files, zipfile.ZIP_STORED)
    result = translate("models", "install", archive, "--packages-dir", tmp_path / "packages")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "packages" / TOP / "model" / "model.bin").stat().st_size == 17 * 1024 * 1024


# ---------------------------------------------------------------- loopback servers


Route = Callable[[http.server.BaseHTTPRequestHandler], None]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        route = self.server.routes.get(self.path.split("?")[0])  # type: ignore[attr-defined]
        if route is None:
            self.send_error(404)
            return
        try:
            route(self)
        except OSError:  # the client went away (that is what the limits are for)
            pass

    def log_message(self, *args: object) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture
def server():
    """A loopback HTTP server; tests fill `routes` (path → handler function) and use `url(path)`."""
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.routes = {}  # type: ignore[attr-defined]
    httpd.url = lambda path: f"http://127.0.0.1:{httpd.server_address[1]}{path}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)  # quick shutdown
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def send(body: bytes, content_type: str = "application/octet-stream") -> Route:
    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def drip(every: float = 0.25, for_at_most: float = 30.0, length: int = 10_000_000) -> Route:
    """One byte per `every` seconds of a body announced as `length` bytes (stops after `for_at_most`)."""

    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(length))
        handler.end_headers()
        ends = time.monotonic() + for_at_most
        while time.monotonic() < ends:
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(every)

    return route


def redirect(location: str, code: int = 302) -> Route:
    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(code)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def index_for(*links: str) -> bytes:
    return json.dumps([dict(META, links=list(links))]).encode()


# ---------------------------------------------------------------- 14.4 slow servers


def test_slow_drip_download_stops_at_the_minimum_rate(tmp_path: Path, server) -> None:
    server.routes["/index.json"] = send(index_for(server.url("/pkg.argosmodel")))
    server.routes["/pkg.argosmodel"] = drip(every=0.25)
    pkgdir = tmp_path / "packages"
    started = time.monotonic()
    result = translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"), "--packages-dir",
                       pkgdir, "--quiet", "--min-rate", 1000, "--rate-window", 0.5)
    assert time.monotonic() - started < 25  # bound, not a speed figure: the drip alone would last 30 s
    assert result.returncode == EXIT_FAILURE
    line = one_error_line(result)
    assert line.startswith(f"error: cannot download {server.url('/pkg.argosmodel')}: slower than 1000 bytes/s")
    assert leftovers(pkgdir) == [] and not (pkgdir / TOP).exists()


def test_download_that_never_ends_stops_at_the_deadline(tmp_path: Path, server) -> None:
    server.routes["/index.json"] = send(index_for(server.url("/pkg.argosmodel")))
    server.routes["/pkg.argosmodel"] = drip(every=0.001, length=10**9)  # fast enough, but endless
    pkgdir = tmp_path / "packages"
    result = translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"), "--packages-dir",
                       pkgdir, "--quiet", "--min-rate", 0, "--deadline", 0.6)
    assert result.returncode == EXIT_FAILURE
    assert "not finished after 0.6 s (the download deadline" in one_error_line(result)
    assert leftovers(pkgdir) == []


def test_index_server_dripping_its_headers_stops_too(tmp_path: Path, server) -> None:
    def headers_drip(handler: http.server.BaseHTTPRequestHandler) -> None:
        ends = time.monotonic() + 30
        for byte in b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n" * 100:
            if time.monotonic() > ends:
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.2)

    server.routes["/index.json"] = headers_drip
    result = translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"), "--packages-dir",
                       tmp_path / "packages", "--quiet", "--min-rate", 100, "--rate-window", 0.5)
    assert result.returncode == EXIT_FAILURE
    assert "cannot reach the package index" in one_error_line(result) and "slower than 100 bytes/s" in result.stderr


def wait_for_download(pkgdir: Path, process: subprocess.Popen, seconds: float = 30.0) -> Path:
    """The download temp dir once the package file is open (and the server has begun to drip)."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        assert process.poll() is None, process.communicate()
        for folder in pkgdir.parent.glob(".translate-download-*"):
            if any(folder.glob("*.argosmodel")):
                time.sleep(0.3)
                return folder
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"no download started: {process.communicate()}")


def start_slow_install(tmp_path: Path, server) -> tuple[subprocess.Popen, Path, Path]:
    server.routes["/index.json"] = send(index_for(server.url("/pkg.argosmodel")))
    server.routes["/pkg.argosmodel"] = drip(every=0.05)
    pkgdir = tmp_path / "packages"
    process = start_translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"),
                              "--packages-dir", pkgdir, "--quiet", "--min-rate", 0)
    return process, pkgdir, wait_for_download(pkgdir, process)


def test_sigterm_during_download_leaves_no_temp_folder(tmp_path: Path, server) -> None:
    process, pkgdir, _ = start_slow_install(tmp_path, server)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=COMMAND_TIMEOUT)
    assert process.returncode == 143, stderr  # 128 + SIGTERM, as `translate run` and the README's exit codes
    assert stderr.strip() == "error: interrupted; nothing was installed"
    assert leftovers(pkgdir) == [] and not (pkgdir / TOP).exists()


def test_next_install_removes_what_a_killed_download_left(tmp_path: Path, server) -> None:
    process, pkgdir, folder = start_slow_install(tmp_path, server)
    process.kill()  # kill -9: nothing can run on the way out
    process.communicate(timeout=COMMAND_TIMEOUT)
    assert folder.is_dir(), "the scenario needs a leftover"
    result = translate("models", "install", write_zip(tmp_path / "p.argosmodel", members()), "--packages-dir", pkgdir)
    assert result.returncode == 0, result.stderr
    assert f"note: removed {folder} (" in result.stderr and "left by an interrupted install" in result.stderr
    assert leftovers(pkgdir) == [] and (pkgdir / TOP / "metadata.json").is_file()


def test_stale_temp_cleanup_touches_only_our_dead_or_old_folders(tmp_path: Path) -> None:
    pkgdir = tmp_path / "packages"
    pkgdir.mkdir()
    two_hours_ago = time.time() - 7200

    def leftover(name: str, old: bool, where: Path = tmp_path) -> Path:
        folder = where / name
        (folder / TOP / "model").mkdir(parents=True)
        (folder / TOP / "model" / "model.bin").write_bytes(bytes(5000))
        if old:
            for path in [folder, *folder.rglob("*")]:
                os.utime(path, (two_hours_ago, two_hours_ago))
        return folder

    old = leftover(".translate-installing-old1abc", old=True)  # from before locks: judged by age
    inside = leftover(".translate-download-old2abc", old=True, where=pkgdir)
    fresh = leftover(".translate-installing-fresh1", old=False)  # maybe a running older version
    held = leftover(".translate-download-held1", old=True)  # a live install holds its lock
    lock = os.open(held / ".lock", os.O_WRONLY | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    outside = leftover("precious", old=True)
    (tmp_path / ".translate-installing-link1").symlink_to(outside)
    other = leftover(".translate-something-else", old=True)
    try:
        result = translate("models", "install", write_zip(tmp_path / "p.argosmodel", members()), "--packages-dir",
                           pkgdir)
    finally:
        os.close(lock)
    assert result.returncode == 0, result.stderr
    assert not old.exists() and not inside.exists()
    assert fresh.is_dir() and held.is_dir() and other.is_dir()
    assert (outside / TOP / "model" / "model.bin").is_file() and (tmp_path / ".translate-installing-link1").is_symlink()
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: removed")]
    assert len(notes) == 2 and all("(4.9 KiB)" in line for line in notes)


# ---------------------------------------------------------------- 14.5 redirects


def test_redirect_to_ftp_is_refused_without_connecting(tmp_path: Path, server) -> None:
    with socket.socket() as ftp:
        ftp.bind(("127.0.0.1", 0))
        ftp.listen(1)
        ftp.settimeout(0.5)
        target = f"ftp://127.0.0.1:{ftp.getsockname()[1]}/index.json"
        server.routes["/index.json"] = redirect(target)
        result = translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"),
                           "--packages-dir", tmp_path / "packages", "--quiet")
        assert result.returncode == EXIT_FAILURE
        assert one_error_line(result) == (f"error: cannot reach the package index at {server.url('/index.json')}: "
                                          f"the server redirected to '{target}'; only http:// and https:// are followed")
        with pytest.raises(socket.timeout):
            ftp.accept()  # nobody came


def test_package_redirect_to_a_local_file_is_refused(tmp_path: Path, server) -> None:
    secret = write_zip(tmp_path / "local.argosmodel", members())
    server.routes["/index.json"] = send(index_for(server.url("/pkg.argosmodel")))
    server.routes["/pkg.argosmodel"] = redirect(secret.as_uri(), 301)
    result = translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"),
                       "--packages-dir", tmp_path / "packages", "--quiet")
    assert result.returncode == EXIT_FAILURE
    assert "only http:// and https:// are followed" in one_error_line(result)
    assert not (tmp_path / "packages" / TOP).exists()


def test_a_web_index_may_not_list_local_files(tmp_path: Path, server) -> None:
    local = write_zip(tmp_path / "local.argosmodel", members())
    server.routes["/index.json"] = send(index_for(local.as_uri()))
    result = translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"),
                       "--packages-dir", tmp_path / "packages", "--quiet")
    assert result.returncode == EXIT_FAILURE
    assert "is a local file, allowed only in a local (file://) index" in one_error_line(result)
    assert not (tmp_path / "packages" / TOP).exists()


def test_a_local_index_may_list_local_files(tmp_path: Path) -> None:
    local = write_zip(tmp_path / "local.argosmodel", members())
    index = tmp_path / "index.json"
    index.write_bytes(index_for(local.as_uri()))
    result = translate("models", "install", "fr", "en", "--index-url", index.as_uri(),
                       "--packages-dir", tmp_path / "packages", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "packages" / TOP / "metadata.json").is_file()


def test_redirect_loop_is_one_line(tmp_path: Path, server) -> None:
    server.routes["/index.json"] = redirect("/a")
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = redirect("/a")
    result = translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"),
                       "--packages-dir", tmp_path / "packages", "--quiet")
    assert result.returncode == EXIT_FAILURE
    assert "more than 10 redirects (a redirect loop?)" in one_error_line(result)


def test_a_few_redirects_are_followed(tmp_path: Path, server) -> None:
    archive = write_zip(tmp_path / "p.argosmodel", members())
    server.routes["/index.json"] = redirect("/moved/index.json", 301)
    server.routes["/moved/index.json"] = send(index_for(server.url("/dl")))
    server.routes["/dl"] = redirect("/files/p.argosmodel", 307)
    server.routes["/files/p.argosmodel"] = send(archive.read_bytes())
    result = translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"),
                       "--packages-dir", tmp_path / "packages", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "packages" / TOP / "metadata.json").is_file()


def test_a_name_too_long_for_the_filesystem_is_one_line(tmp_path: Path) -> None:
    name = "a" * 5000
    for args in (("install", name), ("remove", name)):
        result = translate("models", *args, "--packages-dir", tmp_path / "packages")
        assert result.returncode == EXIT_USAGE
        line = one_error_line(result)
        assert line.endswith(" characters): File name too long"), line
        assert "OSError" not in line and len(line) < 200


def test_a_downloaded_bad_package_is_refused_naming_its_link(tmp_path: Path, server) -> None:
    bad = write_zip(tmp_path / "bad.argosmodel", members(metadata_text=BAD_METADATA["long version string"]))
    server.routes["/index.json"] = send(index_for(server.url("/bad.argosmodel")))
    server.routes["/bad.argosmodel"] = send(bad.read_bytes())
    pkgdir = tmp_path / "packages"
    result = translate("models", "install", "fr", "en", "--index-url", server.url("/index.json"),
                       "--packages-dir", pkgdir, "--quiet")
    assert result.returncode == EXIT_USAGE
    assert one_error_line(result) == (f"error: {server.url('/bad.argosmodel')}: metadata.json: package_version is "
                                      "5000 characters long (at most 64)")
    assert leftovers(pkgdir) == [] and not (pkgdir / TOP).exists()
