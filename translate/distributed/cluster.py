"""Connecting to Ray for one run: a local instance started for it, or an existing cluster."""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from translate.errors import EXIT_FAILURE, UserError

LOCAL_OBJECT_STORE = 512 * 1024 * 1024
"""Object store of a Ray started for one run: documents travel through it, pickled, a few at a time."""
READ_CPUS = 0.5
"""CPU share Ray reserves per read-and-segment task; differing from the actors' share also keeps Ray Data
from fusing reading into the engine actors, so reading overlaps translation instead of preceding it."""
FORWARDED_ENV = ("TRANSLATE_CACHE_DIR", "TRANSLATE_HOME", "ARGOS_PACKAGES_DIR")
"""Settings of this tool passed from the driver's environment to every worker."""


@dataclass(frozen=True)
class RaySettings:
    """Where Ray runs and how much work each engine actor takes at once."""

    address: str | None = None
    """None: start a local Ray for this run; "auto" or "HOST:PORT": join a running cluster."""
    actors: int = 0
    """Engine actors; 0 = one per GPU with --device cuda, else one per two CPUs of the cluster."""
    batch_docs: int = 16
    """Documents per engine call: their sentences are translated together (cross-document batching)."""
    cpus_per_actor: float = 1.0


def require_ray() -> Any:
    """Import ray, or say in one line how to install the optional extra."""
    try:
        import ray
        import ray.data  # noqa: F401 - Ray Data ships in the `ray[data]` extra
    except ImportError:
        raise UserError("--ray needs Ray: pip install 'translate-fr-en[ray]' (or pip install 'ray[data]')") from None
    return ray


@contextmanager
def connected(settings: RaySettings) -> Iterator[Any]:
    """Ray initialised for the duration of the block (quiet: no Ray Data bars or worker logs)."""
    ray = require_ray()
    env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
    common: dict[str, Any] = dict(logging_level=logging.ERROR, log_to_driver=False,
                                  runtime_env={"env_vars": env} if env else None)
    if settings.address is not None:
        check_reachable(settings.address)
    log = ""
    ours = signal.getsignal(signal.SIGTERM)
    try:
        with ray_log_aside() as log:  # from before ray.init: a failed connection's C++ warnings go there too
            try:
                if settings.address is None:
                    ray.init(address="local", include_dashboard=False, object_store_memory=LOCAL_OBJECT_STORE,
                             **common)
                else:
                    ray.init(address=settings.address, **common)
            except (ConnectionError, RuntimeError, ValueError) as err:
                raise UserError(connect_error(settings.address, err, log)) from None
            finally:
                _put_back_sigterm(ours)
            quiet_ray_data()
            yield ray
    except (UserError, KeyboardInterrupt):
        raise
    except Exception as err:  # noqa: BLE001 - a worker's failure arrives wrapped in Ray's exceptions
        where = f" (Ray's messages: {log})" if log and os.path.exists(log) else ""
        raise UserError(f"the Ray run failed: {root_cause(err)}{where}", EXIT_FAILURE) from err
    finally:
        ray.shutdown()


def _put_back_sigterm(handler: Any) -> None:
    """ray.init makes SIGTERM a silent `sys.exit(15)`; ours stops the run like Ctrl-C, with its line and 143."""
    if handler is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def check_reachable(address: str, timeout: float = 5.0) -> None:
    """Refuse a HOST:PORT where nothing answers, at once: Ray would retry it for about a quarter of an
    hour, saying nothing but its C++ warnings. `auto` and addresses without a port are left to Ray."""
    import socket

    host, colon, port = address.removeprefix("ray://").rpartition(":")
    if not colon or not port.isdigit() or not host:
        return
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as err:
        raise UserError(f"cannot connect to Ray at {address}: nothing answers there ({err.strerror or 'timed out'})"
                        ) from None


TOKEN_REFUSED = ("InvalidAuthToken", "Unauthenticated")
"""What Ray's core writes when the cluster uses token authentication and the driver sent no (or another) token."""


def connect_error(address: str | None, err: BaseException, log: str) -> str:
    """The one line for a failed `ray.init`: how to give the token when the cluster refused ours, else Ray's reason."""
    where = address or "a local Ray"
    try:
        with open(log, encoding="utf-8", errors="replace") as file:
            said = file.read()
    except OSError:
        said = ""
    if any(marker in said for marker in TOKEN_REFUSED):
        # Ray sends a token to an explicit address only under RAY_AUTH_MODE=token (`auto` enables it alone)
        return (f"cannot connect to Ray at {where}: the cluster wants its authentication token; set "
                "RAY_AUTH_MODE=token, with the head's token in RAY_AUTH_TOKEN or ~/.ray/auth_token")
    return f"cannot connect to Ray at {where}: {str(err).splitlines()[0]}"


@contextmanager
def ray_log_aside() -> Iterator[str]:
    """Send what Ray's C++ core writes straight to file descriptor 2 into a file, keeping our stderr.

    Ray Data's actor pools make the driver's core worker log an error line about actor arguments in
    the object store on every run; it means nothing to a user. Our messages and the progress bar go to
    the real stderr; Ray's lines go to a temporary file (its path is yielded), kept only if the run fails.
    """
    import sys
    import tempfile

    sys.stderr.flush()
    fd, log_path = tempfile.mkstemp(prefix="translate-ray-driver.", suffix=".log")
    saved = os.dup(2)
    os.dup2(fd, 2)
    os.close(fd)
    previous, previous_out = sys.stderr, sys.stdout
    sys.stderr = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8", errors="replace")
    # Ray's driver prints workers' failures ("(raylet) Task … failed", with tracebacks) on sys.stdout;
    # a run under --ray writes nothing else there, so stdout joins Ray's file for the run
    sys.stdout = open(log_path, "a", buffering=1, encoding="utf-8", errors="replace")
    keep = False
    try:
        yield log_path
    except (UserError, KeyboardInterrupt):
        raise  # the user's mistake or choice: Ray's log would only distract
    except BaseException:
        keep = True
        raise
    finally:
        for stream in (sys.stderr, sys.stdout):
            stream.flush()
            stream.close()
        sys.stderr, sys.stdout = previous, previous_out
        os.dup2(saved, 2)
        os.close(saved)
        if not keep or not os.path.getsize(log_path):
            os.unlink(log_path)


_RAISED = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception)): (.+)$")


def root_cause(err: BaseException) -> str:
    """One line naming what failed in a worker, from the text Ray wraps around the worker's traceback.

    Ray's exceptions carry the remote traceback as text; its last `SomethingError: message` line is
    the error raised in our code (this tool's own errors are given by their message alone).
    """
    for line in reversed(str(err).splitlines()):
        found = _RAISED.match(line.strip())
        if found:
            kind, message = found.groups()
            return message if kind.startswith("translate.") else f"{kind.rsplit('.', 1)[-1]}: {message}"
    lines = [line for line in str(err).splitlines() if line.strip()]
    return f"{type(err).__name__}: {lines[-1] if lines else ''}".rstrip(": ")


def quiet_ray_data() -> None:
    """One bar of our own on the driver instead of Ray Data's, and outputs in input order."""
    from ray.data import DataContext

    context = DataContext.get_current()
    context.enable_progress_bars = False
    context.execution_options.preserve_order = True
    context.print_on_execution_start = False
    for name in ("ray.data", "ray"):
        logging.getLogger(name).setLevel(logging.ERROR)


def resolve_gpu(ray: Any, gpu: bool | None) -> bool:
    """`gpu_request`'s None (--device auto): a GPU per engine actor when the cluster has GPUs."""
    if gpu is None:
        return int(ray.cluster_resources().get("GPU", 0)) > 0
    return gpu


def engine_actors(ray: Any, settings: RaySettings, gpu: bool, reading: float = READ_CPUS,
                  kind: str = "engine") -> int:
    """How many actors to start: what was asked, else what the cluster's resources allow. Refused in one
    line when the cluster cannot hold them all next to the reading tasks (`reading` CPUs): Ray Data would
    wait for them forever, silently (seen with 2 one-CPU actors on a 2-CPU cluster)."""
    resources = ray.cluster_resources()
    cpus, gpus = float(resources.get("CPU", 0)), int(resources.get("GPU", 0))
    if gpu and not gpus:
        raise UserError("--device cuda under --ray: the Ray cluster has no GPU")
    if settings.actors:
        actors = settings.actors
    elif gpu:
        actors = gpus
    else:
        actors = max(1, int(cpus // (2 * settings.cpus_per_actor)))
    named = f"{actors} {kind} actor{'s' if actors > 1 else ''}"
    forever = "(Ray would wait for them forever): ask for fewer with --ray-actors"
    if gpu and actors > gpus:
        raise UserError(f"{named} with --device cuda need a GPU each; the Ray cluster has {gpus} {forever}")
    needed = actors * settings.cpus_per_actor + reading
    if needed > cpus:
        room = f" and {reading:g} CPU for reading" if reading else ""
        raise UserError(f"{named} of {settings.cpus_per_actor:g} CPU each{room} need {needed:g} CPUs; "
                        f"the Ray cluster has {cpus:g} {forever}")
    return actors
