"""The job loop shared by `translate run` and `translate align`: errors collected, exit codes, resources, interrupts."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from translate.errors import UserError
from translate.interrupt import Terminated
from translate.jobloop import INTERRUPTED, Job, Outcome, Resources, interrupts_as, worst_code


@dataclass
class Handle:
    """A resource that counts how often it is closed."""

    name: str
    log: list[str]
    closed: int = 0

    def close(self) -> None:
        self.closed += 1
        self.log.append(f"close {self.name}")


@dataclass
class Recorder:
    """The job's callbacks, writing what they were told into one log."""

    log: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def report(self, item: str, result: str) -> None:
        self.log.append(f"done {item} {result}")

    def failed(self, item: str, err: UserError) -> None:
        self.log.append(f"failed {item} {err} {err.code}")

    def summary(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self.log.append("summary")


def work_failing_on(failures: dict[str, int]):
    def work(item: str) -> str:
        if item in failures:
            raise UserError(f"bad {item}", failures[item])
        return item.upper()

    return work


def test_errors_are_collected_and_the_others_go_on() -> None:
    seen = Recorder()
    code = Job(["a", "b", "c"], work_failing_on({"b": 2}), report=seen.report, failed=seen.failed,
               summary=seen.summary).run()
    assert code == 2
    assert seen.log == ["done a A", "failed b bad b 2", "done c C", "summary"]
    outcome = seen.outcomes[0]
    assert outcome.results == [("a", "A"), ("c", "C")]
    assert [(item, str(err)) for item, err in outcome.failures] == [("b", "bad b")]
    assert outcome.seconds >= 0


def test_exit_code_is_the_worst_item_code() -> None:
    assert Job(["a", "b", "c"], work_failing_on({"a": 1, "c": 2}), failed=lambda *a: None).run() == 2
    assert Job(["a", "b", "c"], work_failing_on({"a": 2, "c": 1}), failed=lambda *a: None).run() == 2
    assert Job(["a", "b"], work_failing_on({})).run() == 0
    assert Job([], work_failing_on({})).run() == 0
    assert worst_code([]) == 0 and worst_code([1, 2, 1]) == 2


def test_default_failure_report_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert Job(["a", "b"], work_failing_on({"a": 2})).run() == 2
    assert capsys.readouterr().err == "error: bad a\n"


def test_a_lone_item_error_is_raised_after_closing() -> None:
    log: list[str] = []
    resources = Resources()
    handle = resources.add(Handle("engine", log))
    seen = Recorder(log)
    with pytest.raises(UserError, match="bad a") as raised:
        Job(["a"], work_failing_on({"a": 2}), resources=resources, failed=seen.failed, summary=seen.summary).run()
    assert raised.value.code == 2
    assert handle.closed == 1 and log == ["close engine"]  # neither reported as collected nor summarised


def test_a_fatal_error_stops_the_job() -> None:
    seen = Recorder()
    with pytest.raises(UserError, match="bad b"):
        Job(["a", "b", "c"], work_failing_on({"b": 1}), report=seen.report, failed=seen.failed,
            summary=seen.summary, fatal=lambda err: str(err) == "bad b").run()
    assert seen.log == ["done a A"]


def test_resources_are_closed_once_newest_first_after_the_items_and_before_the_summary() -> None:
    log: list[str] = []
    resources = Resources()
    resources.add(Handle("cache", log))
    made: list[Handle] = []

    def make() -> Handle:
        made.append(Handle("engine", log))
        return made[-1]

    engine = resources.lazy(make)

    def work(item: str) -> str:
        assert engine() is engine()  # made on first use, then the same one
        log.append(f"work {item}")
        return item

    seen = Recorder(log)
    assert Job(["a", "b"], work, resources=resources, summary=seen.summary).run() == 0
    assert len(made) == 1 and made[0].closed == 1
    assert log == ["work a", "work b", "close engine", "close cache", "summary"]
    resources.close()  # a second close does nothing
    assert log.count("close cache") == 1


def test_a_lazy_resource_never_needed_is_never_made() -> None:
    resources = Resources()
    made: list[int] = []
    resources.lazy(lambda: made.append(1))
    Job(["a"], lambda item: item, resources=resources).run()
    assert made == []


def test_a_lazy_none_is_kept_and_not_closed() -> None:
    resources = Resources()
    calls: list[int] = []

    def make() -> None:
        calls.append(1)
        return None

    get = resources.lazy(make)
    assert get() is None and get() is None and calls == [1]
    resources.close()


def test_resources_are_closed_when_an_item_raises_an_unexpected_error() -> None:
    log: list[str] = []
    resources = Resources()
    handle = resources.add(Handle("engine", log))

    def work(item: str) -> str:
        raise RuntimeError("engine crashed")

    with pytest.raises(RuntimeError):
        Job(["a", "b"], work, resources=resources).run()
    assert handle.closed == 1


@pytest.mark.parametrize(("stop", "code"), [(KeyboardInterrupt, 130), (Terminated, 143)])
def test_interrupt_becomes_one_error_with_the_shell_code(stop: type[BaseException], code: int) -> None:
    log: list[str] = []
    resources = Resources()
    handle = resources.add(Handle("cache", log))
    seen = Recorder(log)

    def work(item: str) -> str:
        if item == "b":
            raise stop()
        return item

    with pytest.raises(UserError) as raised:
        Job(["a", "b", "c"], work, resources=resources, report=seen.report, summary=seen.summary,
            interrupted=f"{INTERRUPTED}; run it again").run()
    assert raised.value.code == code
    assert str(raised.value) == "interrupted; no partial outputs were written; run it again"
    assert handle.closed == 1
    assert log == ["done a a", "close cache"]  # "c" never started, no summary


def test_interrupts_as_leaves_other_errors_alone() -> None:
    with pytest.raises(UserError) as raised, interrupts_as("stopped"):
        raise Terminated()
    assert (str(raised.value), raised.value.code) == ("stopped", 143)
    with pytest.raises(ValueError), interrupts_as("stopped"):
        raise ValueError("not an interrupt")


@pytest.mark.parametrize(("stop", "code"), [(KeyboardInterrupt, 130), (Terminated, 143)])
def test_ray_align_pairs_interrupt_gives_the_shell_code(tmp_path, monkeypatch, stop, code) -> None:
    """The distributed commands share the loop's interrupt rule: SIGTERM is 143 there too (it was always 130)."""
    import translate.distributed.cluster as cluster
    import translate.distributed.pairs as pairs
    from translate.distributed.command import align_pairs_command

    (tmp_path / "a.fr.txt").write_text("Bonjour.\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("Hello.\n", encoding="utf-8")
    listing = tmp_path / "pairs.tsv"
    listing.write_text("a.fr.txt\ta.en.txt\n", encoding="utf-8")

    def interrupted(*args: object) -> None:
        raise stop()

    monkeypatch.setattr(cluster, "require_ray", lambda: None)
    monkeypatch.setattr(pairs, "run_pairs", interrupted)
    with pytest.raises(UserError) as raised:
        align_pairs_command(pairs=listing, files=(None, None), ray=True, address=None, actors=0, batch_docs=1,
                            formats="tsv", min_score=0.5, max_side=3, bead_column=False, source_locale="fr",
                            target_locale="en", no_header=False, overwrite=False, encoding=None, output_dir=None,
                            quiet=True)
    assert (str(raised.value), raised.value.code) == (
        "interrupted; finished pairs are complete, run it again to resume", code)
