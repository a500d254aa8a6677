"""`python -m middleware replay`: run failed jobs again once their cause is fixed."""

from __future__ import annotations

from rq.registry import FailedJobRegistry

from middleware.runtime import get_runtime


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("replay", help="re-run jobs in the failed registry")
    parser.add_argument("job_ids", nargs="*", help="only these jobs (default: every failed job)")
    parser.add_argument("--list", action="store_true", help="list the failed jobs, change nothing")
    parser.set_defaults(func=run)


def run(args) -> int:
    runtime = get_runtime()
    registry = FailedJobRegistry(queue=runtime.queue)
    job_ids = args.job_ids or registry.get_job_ids()
    if not job_ids:
        print("No failed jobs.")
        return 0
    if args.list:
        for job in runtime.queue.job_class.fetch_many(job_ids, connection=runtime.redis):
            reason = (job.latest_result().exc_string or "").strip().splitlines()[-1:] if job else []
            print(f"{job.id if job else '?'}  {reason[0] if reason else ''}")
        return 0
    missing = 0
    for position, job_id in enumerate(job_ids, 1):
        try:
            registry.requeue(job_id)
            print(f"[{position}/{len(job_ids)}] requeued {job_id}")
        except Exception as exc:  # noqa: BLE001 - report and go on with the others
            missing += 1
            print(f"[{position}/{len(job_ids)}] could not requeue {job_id}: {exc}")
    print(f"Requeued {len(job_ids) - missing} job(s); a running worker will process them.")
    return 1 if missing else 0
