import pytest
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit: the signals, then the background work they queue (at once in tests)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture(autouse=True)
def _tasks_must_not_fail():
    # The immediate backend records a failing task instead of raising: make such a failure fail the test.
    failures = []

    def record(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failures.append(task_result.errors[-1].traceback)

    task_finished.connect(record)
    yield
    task_finished.disconnect(record)
    assert not failures, "A background task failed:\n" + "\n".join(failures)
