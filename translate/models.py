"""Find, check, install and remove translation models: Argos packages and CTranslate2 model dirs.

Where models are looked for:

* the Argos package dir, shared with argostranslate: `$ARGOS_PACKAGES_DIR` if set, else
  `$XDG_DATA_HOME/argos-translate/packages`, else `~/.local/share/argos-translate/packages`.
  Installs and removals happen only here.
* extra dirs named in `config.toml` in our config dir: `$TRANSLATE_HOME` if set, else
  `$XDG_CONFIG_HOME/translate-fr-en`, else `~/.config/translate-fr-en`.

config.toml (every key optional; relative paths are relative to the config dir, `~` is expanded)::

    # Each entry is one model dir or a folder holding model dirs.
    model_dirs = ["~/models", "/srv/mt"]

    # A CTranslate2 model dir whose languages cannot be read from metadata.json or its name.
    [[model]]
    path = "~/models/my-finetune"
    from = "fr"
    to = "en"
    name = "my-finetune"    # default: the folder name
    version = "2"           # default: metadata.json's package_version, else ""

A model dir is either an Argos package (metadata.json, model/model.bin, sentencepiece.model) or a
plain CTranslate2 dir (model.bin plus source.spm/target.spm or sentencepiece.model); a plain dir
without metadata.json gets its languages from a `[[model]]` entry or a name like `opus-mt-fr-en`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator, Literal, Mapping

try:
    import fcntl
except ImportError:  # Windows: temp dirs are then judged stale by age alone
    fcntl = None  # type: ignore[assignment]

from translate.engines.argos import (  # the layouts the engine can load, so "ok" means loadable
    HALF_CHARACTER, SPM_LAYOUTS, find_spm, writable_text)
from translate.errors import EXIT_FAILURE, UserError
from translate.textio import not_a_file

ModelKind = Literal["argos", "ct2"]

CONFIG_FILE = "config.toml"
METADATA_FILE = "metadata.json"
TEMP_PREFIX = ".translate-"
"""Hidden temp dirs/files we create; discovery skips every dot-entry."""
TEMP_PURPOSES = ("installing", "download", "removing")
_TEMP_NAME = re.compile(rf"^\.translate-(?:{'|'.join(TEMP_PURPOSES)})-[A-Za-z0-9_]+$")
"""Names `_temp_dir` gives (tempfile's random suffix): the only entries stale-temp cleanup touches."""
LOCK_FILE = ".lock"
"""Inside each temp dir, flock()ed while its process works: a later install sees it is still in use."""
STALE_AFTER_SECONDS = 3600.0
"""A temp dir without a lock we can test (made before locks, or no flock here) is stale after this long
without any write."""
MAX_METADATA_BYTES = 1024 * 1024
MAX_FIELD_CHARS = {"from_code": 16, "to_code": 16, "package_version": 64}
"""Longest metadata.json value we accept per field: real codes are 2-3 letters, versions like '1.9'."""
_MAX_VERSION_DIGITS = 18
"""Longer digit runs in a version sort as text: int() refuses more than 4,300 digits, and no version has 19."""
_READABLE_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


@dataclass(frozen=True)
class InstallLimits:
    """Refuse archives that would unpack to more than real models ever need (zip bombs)."""

    max_total_bytes: int = 2 * 1024**3
    """Sum of declared uncompressed sizes (and the most a download may send); real Argos packages
    unpack to at most ~400 MB."""
    max_total_ratio: float = 10.0
    """Uncompressed size of all members / size of the archive; model weights barely compress (~1.1x)."""
    total_ratio_min_bytes: int = 16 * 1024 * 1024
    """Archives unpacking to less than this skip the whole-archive ratio check."""
    max_ratio: float = 100.0
    """Uncompressed/compressed size of one member; model weights barely compress (~1.1x)."""
    ratio_min_bytes: int = 1024 * 1024
    """Members smaller than this skip the ratio check (tiny text files compress very well)."""
    max_members: int = 10_000


@dataclass(frozen=True)
class DownloadLimits:
    """Bounds on one transfer, so a slow, stalled or dripping server cannot hold `models install` forever."""

    deadline: float = 7200.0
    """Seconds for the whole transfer, connection and headers included; 0 means none."""
    min_rate: float = 10_000.0
    """Bytes per second, averaged over `rate_window`, below which the transfer is abandoned; 0 means none."""
    rate_window: float = 60.0
    """Seconds the rate is averaged over (and the grace period before it is first checked)."""
    read_timeout: float = 30.0
    """Seconds one connect or read may wait for the server."""


@dataclass
class ModelEntry:
    """One `[[model]]` table of config.toml: a model dir and the facts its files do not give."""

    path: Path
    from_code: str | None = None
    to_code: str | None = None
    name: str | None = None
    version: str | None = None


@dataclass
class ModelConfig:
    """What config.toml says about models."""

    model_dirs: list[Path]
    models: list[ModelEntry]


@dataclass
class InstalledModel:
    """A model dir found on disk, usable or not (then `problem` says why)."""

    path: Path
    from_code: str
    to_code: str
    name: str
    version: str
    kind: ModelKind
    source: Path
    """The directory it was found in (the Argos package dir or a config.toml entry)."""
    problem: str | None = None
    model_dir: Path | None = None
    """The CTranslate2 model dir (holds model.bin): `path/model` for Argos, `path` for ct2."""
    source_spm: Path | None = None
    target_spm: Path | None = None
    target_prefix: str = ""
    """Token Argos multilingual models want at the start of every target (usually empty)."""

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def status(self) -> str:
        return "ok" if self.problem is None else f"broken: {self.problem}"


# ---------------------------------------------------------------- locations


def default_packages_dir(env: Mapping[str, str] | None = None) -> Path:
    """The Argos package dir, resolved exactly as argostranslate resolves it."""
    env = os.environ if env is None else env
    if env.get("ARGOS_PACKAGES_DIR"):
        return _expand(env["ARGOS_PACKAGES_DIR"], env)
    return _xdg_dir(env, "XDG_DATA_HOME", ".local/share") / "argos-translate" / "packages"


def packages_dir(given: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """`given` (a --packages-dir option) if set, else the default Argos package dir."""
    return given if given is not None else default_packages_dir(env)


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """Our own config dir (may not exist)."""
    env = os.environ if env is None else env
    if env.get("TRANSLATE_HOME"):
        return _expand(env["TRANSLATE_HOME"], env)
    return _xdg_dir(env, "XDG_CONFIG_HOME", ".config") / "translate-fr-en"


def _xdg_dir(env: Mapping[str, str], var: str, fallback: str) -> Path:
    value = env.get(var, "")
    if value and Path(value).is_absolute():  # the XDG spec says to ignore relative values
        return Path(value)
    return _home(env) / fallback


def _home(env: Mapping[str, str]) -> Path:
    return Path(env["HOME"]) if env.get("HOME") else Path.home()


def _expand(value: str, env: Mapping[str, str], base: Path | None = None) -> Path:
    if value == "~" or value.startswith("~/"):
        path = _home(env) / value[2:]
    else:
        path = Path(value)
    if base is not None and not path.is_absolute():
        path = base / path
    return path


def load_config(directory: Path, env: Mapping[str, str] | None = None) -> ModelConfig:
    """Read config.toml from `directory`; a missing file means no extra models."""
    env = os.environ if env is None else env
    path = directory / CONFIG_FILE
    if not path.is_file():
        return ModelConfig([], [])
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from exc

    dirs = data.get("model_dirs", [])
    if not isinstance(dirs, list) or not all(isinstance(d, str) for d in dirs):
        raise UserError(f"{path}: model_dirs must be a list of paths (strings)")
    tables = data.get("model", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise UserError(f"{path}: [[model]] entries must be tables")
    models = []
    for i, table in enumerate(tables, 1):
        if not isinstance(table.get("path"), str):
            raise UserError(f"{path}: [[model]] entry {i} needs path = \"...\"")
        facts = {key: table.get(key) for key in ("from", "to", "name", "version")}
        for key, value in facts.items():
            if value is not None and not isinstance(value, str):
                raise UserError(f"{path}: [[model]] entry {i}: {key} must be a string")
        models.append(
            ModelEntry(
                _expand(table["path"], env, directory),
                facts["from"],
                facts["to"],
                facts["name"],
                facts["version"],
            )
        )
    return ModelConfig([_expand(d, env, directory) for d in dirs], models)


# ---------------------------------------------------------------- discovery


def find_packages(
    packages_dir: Path | None = None,
    config: ModelConfig | None = None,
    env: Mapping[str, str] | None = None,
) -> list[InstalledModel]:
    """Every model in the package dir and the config's extra dirs, broken ones included.

    Defaults come from `env` (os.environ): the Argos package dir and our config dir's config.toml.
    """
    env = os.environ if env is None else env
    packages_dir = default_packages_dir(env) if packages_dir is None else packages_dir
    config = load_config(config_dir(env), env) if config is None else config

    found: list[InstalledModel] = list(_scan_folder(packages_dir))
    for directory in config.model_dirs:
        if not directory.is_dir():
            found.append(_missing(directory, "directory not found (listed in config.toml)"))
        elif _looks_like_model(directory):
            found.append(load_model(directory, directory.parent))
        else:
            found.extend(_scan_folder(directory))
    for entry in config.models:
        if not entry.path.is_dir():
            found.append(_missing(entry.path, "directory not found (listed in config.toml)"))
        else:
            found.append(load_model(entry.path, entry.path.parent, entry))

    unique: dict[Path, InstalledModel] = {}
    for model in found:  # [[model]] entries come last, so they override the same dir found by scanning
        unique[_real(model.path)] = model
    return sorted(unique.values(), key=lambda m: (m.from_code, m.to_code, _version_key(m.version), m.name))


def best_model(
    from_code: str = "fr",
    to_code: str = "en",
    models: Iterable[InstalledModel] | None = None,
    packages_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> InstalledModel | None:
    """The usable model with the highest version for the pair, or None."""
    candidates = find_packages(packages_dir, env=env) if models is None else list(models)
    usable = [m for m in candidates if m.ok and m.from_code == from_code and m.to_code == to_code]
    if not usable:
        return None
    return max(usable, key=lambda m: _version_key(m.version))


def load_model(path: Path, source: Path, entry: ModelEntry | None = None) -> InstalledModel:
    """Read one model dir; problems go into `problem`, never into an exception."""
    try:
        return _load_model(path, source, entry)
    except OSError as exc:  # e.g. a folder we may not read
        return _missing(path, f"cannot read: {exc.strerror or exc}")


def _load_model(path: Path, source: Path, entry: ModelEntry | None) -> InstalledModel:
    kind: ModelKind = "ct2" if (path / "model.bin").is_file() else "argos"
    meta, problem = _read_metadata(path / METADATA_FILE)
    if meta is not None and problem is None:
        problem = _field_problem(meta)
        if problem is not None:  # keep the bad value out of every later use (listing, sorting, engines)
            meta = {key: value for key, value in meta.items() if not _too_long(meta, key)}
    if kind == "argos" and meta is None and problem is None and not (entry and entry.from_code):
        has_weights = (path / "model" / "model.bin").is_file()
        problem = "no metadata.json" if has_weights else "not a model: no metadata.json or model.bin"
    guessed = _pair_from_name(path.name) if kind == "ct2" else ("", "")
    from_code = (entry and entry.from_code) or _text(meta, "from_code") or guessed[0]
    to_code = (entry and entry.to_code) or _text(meta, "to_code") or guessed[1]
    model = InstalledModel(
        path=path,
        from_code=from_code,
        to_code=to_code,
        name=(entry and entry.name) or path.name,
        version=(entry and entry.version) or _text(meta, "package_version"),
        kind=kind,
        source=source,
        target_prefix=_text(meta, "target_prefix"),
    )
    model.model_dir = path if kind == "ct2" else path / "model"
    spm = find_spm(path)
    if spm:
        model.source_spm, model.target_spm = spm
    model.problem = problem or _layout_problem(model)
    return model


def _pair_from_name(name: str) -> tuple[str, str]:
    """('fr', 'en') from names like 'opus-mt-fr-en' or 'fr_en-ct2-int8': the last two-letter pair wins."""
    tokens = re.split(r"[-_.]", name.lower())
    for size in (2, 3):
        pairs = [
            (a, b)
            for a, b in zip(tokens, tokens[1:])
            if len(a) == len(b) == size and a.isalpha() and b.isalpha() and a.isascii() and b.isascii()
        ]
        if pairs:
            return pairs[-1]
    return "", ""


def _layout_problem(model: InstalledModel) -> str | None:
    if not model.from_code or not model.to_code:
        if (model.path / METADATA_FILE).is_file():
            return f"metadata.json lacks {'from_code' if not model.from_code else 'to_code'}"
        return "languages unknown: add metadata.json or a [[model]] entry with from/to in config.toml"
    assert model.model_dir is not None
    if not (model.model_dir / "model.bin").is_file():
        return "no model/model.bin"
    if model.source_spm is None:
        return "no SentencePiece model (sentencepiece.model or source.spm/target.spm)"
    return None


def _scan_folder(folder: Path) -> Iterable[InstalledModel]:
    """Each visible subdir of `folder` is a model; files and our hidden temp dirs are skipped."""
    try:
        children = sorted(folder.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        return [_missing(folder, f"cannot read directory: {exc.strerror or exc}")]
    return [load_model(child, folder) for child in children if child.is_dir() and not child.name.startswith(".")]


def _looks_like_model(path: Path) -> bool:
    return (path / METADATA_FILE).is_file() or (path / "model.bin").is_file()


def _missing(path: Path, problem: str) -> InstalledModel:
    return InstalledModel(path, "", "", path.name, "", "ct2", path.parent, problem)


def _read_metadata(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    if not path.is_file():
        return None, None
    try:
        if path.stat().st_size > MAX_METADATA_BYTES:
            return None, "metadata.json is too large"
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"metadata.json unreadable: {_one_line(exc)}"
    return _parse_metadata(text)


def _parse_metadata(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """metadata.json's object, or the reason it is unusable; never raises, whatever the text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"metadata.json unreadable: not valid JSON ({_one_line(exc)})"
    except RecursionError:
        return None, "metadata.json unreadable: nested too deeply"
    except ValueError:  # a number longer than int() accepts (4,300 digits)
        return None, "metadata.json unreadable: a number has thousands of digits"
    if not isinstance(data, dict):
        return None, "metadata.json is not a JSON object"
    if not writable_text(data):
        return None, f"metadata.json unreadable: {HALF_CHARACTER}"
    return data, None


def _field_problem(data: Mapping[str, Any]) -> str | None:
    """Why a metadata value is unusable (far too long to be a code or a version), else None."""
    for key, limit in MAX_FIELD_CHARS.items():
        if _too_long(data, key):
            return f"metadata.json: {key} is {len(_text(data, key))} characters long (at most {limit})"
    return None


def _too_long(data: Mapping[str, Any], key: str) -> bool:
    return key in MAX_FIELD_CHARS and len(_text(data, key)) > MAX_FIELD_CHARS[key]


def _metadata_problem(data: dict[str, Any]) -> str | None:
    field = _field_problem(data)
    if field:
        return field
    missing = [key for key in ("from_code", "to_code") if not _text(data, key)]
    return f"metadata.json lacks {' and '.join(missing)}" if missing else None


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (library messages may hold line breaks)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _text(meta: Mapping[str, Any] | None, key: str) -> str:
    value = meta.get(key) if meta else None
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """'1.10' > '1.9' > '1.1.5'; non-numeric parts sort below numbers. Never raises, whatever the text."""
    return tuple(
        (int(p), "") if p.isascii() and p.isdigit() and len(p) <= _MAX_VERSION_DIGITS else (-1, p)
        for p in re.split(r"[._\-+]", version)
        if p
    )


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


# ---------------------------------------------------------------- install


@dataclass
class _Plan:
    """A checked archive: its top folder, members to write and the metadata it carries."""

    top: str
    members: list[tuple[zipfile.ZipInfo, PurePosixPath]]
    metadata: dict[str, Any]


def check_archive(path: Path, limits: InstallLimits = InstallLimits()) -> _Plan:
    """Validate an .argosmodel without writing anything; raise UserError on the first problem."""
    try:
        problem = not_a_file(path)
    except OSError as err:
        raise UserError(f"cannot read {path}: {err.strerror}") from None
    if problem == "missing":
        raise UserError(f"{path}: no such file")
    if problem:
        raise UserError(f"{path} is {problem}, not a .argosmodel file")
    if not zipfile.is_zipfile(path):
        raise UserError(f"{path} is not a .argosmodel (zip) file")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            plan = _plan_members(path, infos, limits)
            plan.metadata = _archive_metadata(path, archive, plan)
    except zipfile.BadZipFile as exc:
        raise UserError(f"{path} is not a .argosmodel (zip) file: {exc}") from exc
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return plan


def _plan_members(path: Path, infos: list[zipfile.ZipInfo], limits: InstallLimits) -> _Plan:
    if not infos:
        raise UserError(f"{path} is an empty archive")
    if len(infos) > limits.max_members:
        raise UserError(f"{path} has {len(infos)} members, more than the limit of {limits.max_members}")
    members: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    tops: set[str] = set()
    seen: set[str] = set()
    loose: list[str] = []
    total = 0
    for info in infos:
        rel = _safe_member_path(path, info)
        if info.flag_bits & 0x1:
            raise UserError(f"{path}: member {info.filename!r} is encrypted")
        if info.compress_type not in _READABLE_COMPRESSION:
            raise UserError(f"{path}: member {info.filename!r} uses an unsupported compression method")
        if str(rel) in seen:
            raise UserError(f"{path}: member {info.filename!r} appears twice")
        seen.add(str(rel))
        tops.add(rel.parts[0])
        if len(rel.parts) == 1 and not info.is_dir():
            loose.append(info.filename)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise UserError(
                f"{path} unpacks to more than {human_size(limits.max_total_bytes)}, the limit: "
                "refusing (possible zip bomb)"
            )
        if info.file_size >= limits.ratio_min_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UserError(
                f"{path}: {info.filename!r} expands {info.file_size / max(info.compress_size, 1):.0f}x: "
                "refusing (possible zip bomb)"
            )
        members.append((info, rel))
    _check_total_ratio(path, total, limits)
    if loose:  # a .docx, .xlsx, .jar... is a zip too: say what it is not before nitpicking its layout
        if not any(len(rel.parts) == 2 and rel.parts[1] == METADATA_FILE for _, rel in members):
            raise UserError(f"{path} is not an Argos package: no package folder holding {METADATA_FILE}")
        raise UserError(f"{path}: file {loose[0]!r} sits outside the package folder")
    if len(tops) != 1:
        shown = ", ".join(sorted(tops)[:3]) + (", ..." if len(tops) > 3 else "")
        raise UserError(f"{path} must hold exactly one top-level folder, found {len(tops)}: {shown}")
    top = tops.pop()
    if top.startswith("."):
        raise UserError(f"{path}: the package folder name {top!r} must not start with a dot")
    files = {str(rel) for info, rel in members if not info.is_dir()}
    for required in (METADATA_FILE, "model/model.bin"):
        if f"{top}/{required}" not in files:
            raise UserError(f"{path} is not an Argos package: {top}/{required} is missing")
    if not any(f"{top}/{src}" in files and f"{top}/{tgt}" in files for src, tgt in SPM_LAYOUTS):
        raise UserError(f"{path} is not an Argos package: {top}/sentencepiece.model is missing")
    return _Plan(top, members, {})


def _check_total_ratio(path: Path, total: int, limits: InstallLimits) -> None:
    """Refuse an archive whose members together expand far beyond its own size (many small bombs)."""
    if total < limits.total_ratio_min_bytes:
        return
    archive_bytes = max(path.stat().st_size, 1)
    if total > limits.max_total_ratio * archive_bytes:
        raise UserError(
            f"{path} unpacks to {human_size(total)}, {total / archive_bytes:.0f}x its own size "
            f"(at most {limits.max_total_ratio:g}x): refusing (possible zip bomb)"
        )


def human_size(nbytes: float) -> str:
    """'2 GiB', '502.3 MiB', '900 bytes': sizes in messages."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{int(nbytes)} bytes"


def _safe_member_path(path: Path, info: zipfile.ZipInfo) -> PurePosixPath:
    """The member's relative path, or UserError if it could land outside the target dir."""
    name = info.filename.replace("\\", "/")
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver recorded no Unix type
    if kind == stat.S_IFLNK:
        raise UserError(f"{path}: member {info.filename!r} is a symbolic link: refusing to install")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UserError(f"{path}: member {info.filename!r} is not a regular file: refusing to install")
    rel = PurePosixPath(name)
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or rel.is_absolute():
        raise UserError(f"{path}: member {info.filename!r} has an absolute path: refusing to install")
    parts = [p for p in rel.parts if p not in ("", ".")]
    if ".." in parts:
        raise UserError(f"{path}: member {info.filename!r} points outside the package (..): refusing to install")
    if not parts or "\0" in name:
        raise UserError(f"{path}: member {info.filename!r} has an invalid name")
    return PurePosixPath(*parts)


def _archive_metadata(path: Path, archive: zipfile.ZipFile, plan: _Plan) -> dict[str, Any]:
    info = next(i for i, rel in plan.members if str(rel) == f"{plan.top}/{METADATA_FILE}")
    if info.file_size > MAX_METADATA_BYTES:
        raise UserError(f"{path}: metadata.json is too large")
    try:
        text = archive.read(info).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: metadata.json is not valid JSON: {_one_line(exc)}") from exc
    data, problem = _parse_metadata(text)
    if data is None:
        raise UserError(f"{path}: {problem}")
    problem = _metadata_problem(data)
    if problem:
        raise UserError(f"{path}: {problem}")
    return data


def install_file(
    path: Path,
    packages_dir: Path,
    overwrite: bool = False,
    limits: InstallLimits = InstallLimits(),
) -> InstalledModel:
    """Check an .argosmodel, unpack it into a temp dir inside `packages_dir`, then rename it into place.

    Nothing is written before the archive passes every check, and any failure leaves
    `packages_dir` as it was (an existing package is only replaced with `overwrite`).
    """
    path = Path(path)
    plan = check_archive(path, limits)
    target = packages_dir / plan.top
    if (target.exists() or target.is_symlink()) and not overwrite:
        raise UserError(f"{plan.top} is already installed in {packages_dir}; use --force to replace it")
    with _work_dir(packages_dir, "installing") as staging:
        try:
            with zipfile.ZipFile(path) as archive:
                for info, rel in plan.members:
                    _extract_member(archive, info, staging, rel, limits)
            _swap_into_place(staging / plan.top, target, staging, overwrite)
        except OSError as exc:
            raise UserError(f"cannot install {path} into {packages_dir}: {exc.strerror or exc}", EXIT_FAILURE) from exc
        except zipfile.BadZipFile as exc:
            raise UserError(f"{path} is damaged: {exc}") from exc
    return load_model(target, packages_dir)


def _extract_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, staging: Path, rel: PurePosixPath, limits: InstallLimits
) -> None:
    dest = staging.joinpath(*rel.parts)
    if not _real(dest).is_relative_to(_real(staging)):  # belt and braces after _safe_member_path
        raise UserError(f"member {info.filename!r} would land outside the package: refusing to install")
    if info.is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    _copy_member(archive, info, dest)


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path) -> None:
    """Copy one member, never writing more bytes than it declared (a lying header is a bomb)."""
    written = 0
    with archive.open(info) as src, open(dest, "xb") as out:
        while chunk := src.read(1024 * 1024):
            written += len(chunk)
            if written > info.file_size:
                raise UserError(f"{info.filename!r} is larger than its header says: refusing (possible zip bomb)")
            out.write(chunk)


@contextmanager
def _work_dir(packages_dir: Path, purpose: str) -> Iterator[Path]:
    """A locked temp dir (see `_temp_dir`) for one install/download/removal, deleted on the way out."""
    try:
        path = _temp_dir(packages_dir, purpose)
    except OSError as exc:
        raise UserError(f"cannot write to {packages_dir}: {exc.strerror or exc}", EXIT_FAILURE) from exc
    try:
        lock = _hold_lock(path)
    except OSError as exc:
        shutil.rmtree(path, ignore_errors=True)
        raise UserError(f"cannot write to {path}: {exc.strerror or exc}", EXIT_FAILURE) from exc
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(lock)


def _hold_lock(directory: Path) -> int:
    """Create and flock() `directory`/.lock; the kernel drops the lock when the process dies, even by kill -9."""
    fd = os.open(directory / LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a filesystem without flock: the age rule applies to this dir
            pass
    return fd


def clean_stale_temps(
    packages_dir: Path, stale_after: float = STALE_AFTER_SECONDS, now: float | None = None
) -> list[tuple[Path, int]]:
    """Delete temp dirs an interrupted install/download/removal left (kill -9, power cut); return (path, bytes).

    Only entries named like ours, only real dirs (no symlinks), only when no live process holds
    their lock (or, without a lock to test, when nothing in them changed for `stale_after` seconds).
    """
    now = time.time() if now is None else now
    removed: list[tuple[Path, int]] = []
    for parent in _temp_parents(packages_dir):
        try:
            entries = [e for e in os.scandir(parent) if _TEMP_NAME.match(e.name) and e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if _in_use(path, stale_after, now):
                continue
            size = _tree_bytes(path)
            shutil.rmtree(path, ignore_errors=True)
            if not os.path.lexists(path):
                removed.append((path, size))
    return removed


def _temp_parents(packages_dir: Path) -> list[Path]:
    """Where `_temp_dir` may have put temp dirs: next to the package dir, or inside it."""
    parents = [packages_dir.resolve().parent, packages_dir]
    return [p for i, p in enumerate(parents) if p not in parents[:i]]


def _in_use(path: Path, stale_after: float, now: float) -> bool:
    """Whether a live process may still be working in temp dir `path`."""
    lock = path / LOCK_FILE
    if fcntl is not None and lock.is_file() and not lock.is_symlink():
        try:
            fd = os.open(lock, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True  # its owner is alive
        except OSError:
            pass  # no flock on this filesystem: judge by age below
        else:
            return False  # nobody holds it: the owner died
        finally:
            os.close(fd)
    return now - _newest_change(path) < stale_after


def _newest_change(path: Path) -> float:
    newest = path.lstat().st_mtime
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            try:
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
            except OSError:
                pass
    return newest


def _tree_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _temp_dir(packages_dir: Path, purpose: str) -> Path:
    """A hidden work dir on the same filesystem as `packages_dir`, so renames out of it are atomic.

    It goes next to the package dir when possible: argostranslate lists every subdir of the package
    dir and fails on one without metadata.json, so a temp dir inside it would break a concurrent run.
    """
    assert purpose in TEMP_PURPOSES, purpose  # stale-temp cleanup only recognises these names
    packages_dir.mkdir(parents=True, exist_ok=True)
    parent = packages_dir.resolve().parent
    try:
        same_fs = os.access(parent, os.W_OK) and parent.stat().st_dev == packages_dir.stat().st_dev
    except OSError:
        same_fs = False
    return Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{purpose}-", dir=parent if same_fs else packages_dir))


def _swap_into_place(new: Path, target: Path, staging: Path, overwrite: bool) -> None:
    """Rename `new` to `target`; an old `target` is parked in `staging` and restored on failure."""
    parked: Path | None = None
    if target.exists() or target.is_symlink():
        if not overwrite:  # appeared while we were unpacking
            raise UserError(f"{target.name} is already installed in {target.parent}; use --force to replace it")
        parked = staging / ".previous"
        os.rename(target, parked)
    try:
        os.rename(new, target)
    except BaseException:
        if parked is not None:
            os.rename(parked, target)
        raise


# ---------------------------------------------------------------- index install


def resolve_index_url(cli_value: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """--index-url, else $TRANSLATE_PACKAGE_INDEX, else the public Argos index."""
    from translate import fetch

    env = os.environ if env is None else env
    return cli_value or env.get(fetch.INDEX_URL_ENV) or fetch.DEFAULT_INDEX_URL


def choose_from_index(index: list[dict[str, Any]], from_code: str, to_code: str) -> dict[str, Any] | None:
    """The newest translate package for the pair that has at least one download link."""
    matches = [
        entry
        for entry in index
        if entry.get("from_code") == from_code
        and entry.get("to_code") == to_code
        and entry.get("type", "translate") == "translate"
        and isinstance(entry.get("links"), list)
        and any(isinstance(link, str) for link in entry["links"])
    ]
    if not matches:
        return None
    return max(matches, key=lambda e: _version_key(_text(e, "package_version")))


def install_from_index(
    from_code: str,
    to_code: str,
    index_url: str,
    packages_dir: Path,
    progress: bool = True,
    overwrite: bool = False,
    limits: InstallLimits = InstallLimits(),
    download_limits: DownloadLimits | None = None,
) -> InstalledModel:
    """Download the newest `from_code`→`to_code` package listed in the index and install it.

    Package links must be http(s), or file:// when the index itself is a local file.
    """
    from translate import fetch

    download_limits = DownloadLimits() if download_limits is None else download_limits
    index = fetch.fetch_index(index_url, download_limits)
    entry = choose_from_index(index, from_code, to_code)
    if entry is None:
        raise UserError(f"the package index at {index_url} has no {from_code}→{to_code} package")
    version = _text(entry, "package_version")
    same = [
        m
        for m in _scan_folder(packages_dir)
        if m.ok and m.from_code == from_code and m.to_code == to_code and m.version == version
    ]
    if same and not overwrite:
        raise UserError(
            f"{same[0].name} ({from_code}→{to_code} {version}) is already installed; use --force to reinstall"
        )
    local_index = index_url.lower().startswith("file:")
    with _work_dir(packages_dir, "download") as workdir:
        links = [link for link in entry["links"] if isinstance(link, str)]
        errors: list[UserError] = []
        for link in links:
            name = Path(link.rsplit("/", 1)[-1] or "package").name
            if not name or name.startswith(".") or name == LOCK_FILE:
                name = "package"
            dest = workdir / (name if name.endswith(".argosmodel") else name + ".argosmodel")
            try:
                fetch.download(link, dest, progress=progress, limits=download_limits,
                               max_bytes=limits.max_total_bytes, allow_file=local_index)
            except UserError as exc:
                errors.append(exc)
                continue
            try:
                return install_file(dest, packages_dir, overwrite=overwrite, limits=limits)
            except UserError as exc:  # name the link, not the temp file that is gone once we return
                raise UserError(str(exc).replace(str(dest), link), exc.code) from None
        raise errors[-1]


# ---------------------------------------------------------------- remove


def remove(name_or_path: str | Path, packages_dir: Path) -> Path:
    """Delete one package folder of `packages_dir` (given by folder name or path); return its path.

    Only direct children of the package dir can be removed, so a typo cannot delete anything else.
    """
    given = Path(name_or_path)
    target = given if (given.is_absolute() or len(given.parts) > 1) else packages_dir / given
    if str(name_or_path) in ("", ".", "..") or given.name.startswith("."):
        raise UserError(f"{name_or_path!r} is not a package name")
    if _real(target.parent) != _real(packages_dir):
        raise UserError(f"{target} is not in the package dir {packages_dir}; only packages there can be removed")
    if not (target.exists() or target.is_symlink()):
        raise UserError(f"no package named {target.name} in {packages_dir} (see: translate models list)")
    if not target.is_dir():
        raise UserError(f"{target} is not a package folder")
    try:
        if target.is_symlink():
            target.unlink()
        else:
            with _work_dir(packages_dir, "removing") as trash:
                os.rename(target, trash / target.name)  # disappears at once, then is deleted
                shutil.rmtree(trash / target.name)
    except OSError as exc:
        raise UserError(f"cannot remove {target}: {exc.strerror or exc}", EXIT_FAILURE) from exc
    return target
