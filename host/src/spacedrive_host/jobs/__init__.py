"""Jobs: long work a plugin does step by step, checkpointed in SQLite before
each next step, cancellable, pausable, and resumed after a host restart."""

from .runner import JobRunner
from .store import JobRecord, JobState, JobStore

__all__ = ["JobRecord", "JobRunner", "JobState", "JobStore"]
