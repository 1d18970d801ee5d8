"""What `sync --once` says at the end, and what the state file remembers of a run."""

from billsync.agent import Failure, RunResult
from billsync.runs import delivered_today, describe, record, summary


def test_the_summary_counts_files_per_kind_failures_and_conflicts():
    result = RunResult(delivered=40, present=2, failed=1, kinds={"sales": 3, "purchases": 12, "coda": 27})
    result.failures = [Failure(7, "REF/CODA/x.cod", "permission_denied", "REF/CODA/x.cod: Permission denied")]
    assert summary(result) == (
        "42 files delivered (3 sales, 12 purchases, 27 CODA), 1 failed: REF/CODA/x.cod: Permission denied "
        "[permission_denied], 0 conflicts (2 already in place)"
    )


def test_the_summary_of_an_empty_run_and_of_postponed_files():
    assert summary(RunResult()) == "0 files delivered, 0 failed, 0 conflicts"
    result = RunResult(delivered=1, conflicts=1, postponed=2, kinds={"sales": 1})
    result.failures = [Failure(1, "a.xml", "conflict", "a.xml: another file already exists there")]
    assert summary(result) == "1 file delivered (1 sales), 0 failed, 1 conflict, 2 postponed to the next run"


def test_a_run_is_recorded_with_daily_and_total_counts():
    state = {"delivered_total": 5}
    record(state, RunResult(delivered=3, present=1, kinds={"coda": 4}), "2026-11-01T00:00:00+00:00")
    record(state, RunResult(delivered=2, kinds={"sales": 2}), "2026-11-01T00:01:00+00:00")
    assert state["delivered_total"] == 11 and delivered_today(state) == 6
    assert describe(state["last_run"]).endswith("2 files delivered (2 sales), 0 failed, 0 conflicts")
    assert describe({}) == "No run yet."
