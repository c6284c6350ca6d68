"""Channels' `runworker`, with a worker that takes runs off the queue only when it can run them.

`manage.py runworker --layer runners pad-runner` starts a runner (sessions_app/runner).
"""
from channels.management.commands import runworker

from sessions_app.runner.worker import RunnerWorker


class Command(runworker.Command):
    worker_class = RunnerWorker
