"""Attune's benchmark suite: `python -m benchmarks` (or `make bench`) writes benchmarks/RESULTS.md.

Every figure is measured against real processes on this machine: gunicorn serving `wsgi:app`, a
bare Flask endpoint under the same settings, `python -m middleware worker` processes, a Redis
server of the suite's own and a stand-in helpdesk that records Attune's write-backs.
"""
