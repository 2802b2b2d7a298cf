"""The ``hbm`` command: start the system, load demo data, admin tasks, verification, benchmarks.

Usage examples::

    hbm start                 # migrate, load demo data if the database is empty, serve on :8000
    hbm demo --reset          # (re)load the seeded demo emergency
    hbm audit verify          # exit 1 and name the first broken entry if the trail was altered
    hbm openapi --check FILE  # exit 1 if the committed OpenAPI document drifted from the code
    hbm bench registration    # print one JSON object of figures
    hbm bench sync            # a field device's outbox of 10,000 registrations, synced
    hbm bench simulation      # a 30-day surge at a crossing point, this engine beside SimPy
    hbm simulate sweep --scenarios FILE [--scheduler tcp://host:8786] [--workers N] [--format csv]
                              # scenarios × staffing options × replications on Dask
    hbm dedup work            # check new and changed persons for duplicates (hbm start runs it)
    hbm dedup sweep           # re-check everyone, e.g. after a threshold change
                              # (the worker also searches for the persons of open tracing requests)
    hbm dedup status          # how far the checks are behind: persons waiting, the oldest, a sweep's rest
    hbm user create NAME --role border_officer --organisation "State Border Police" --post PAL
    hbm plans check-triggers  # compare active plans' triggers with today's figures, raise alerts
    hbm plans compute PLAN --scenario worst   # a scenario too large to compute in a request
    hbm manage <command>      # any Django management command (createsuperuser, shell, …)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbm.config.settings")
    import django

    django.setup()


def _manage(argv: Sequence[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hbm manage", *argv])


def cmd_start(args: argparse.Namespace) -> int:
    """Prepare the database and static files, then serve with gunicorn (threads: SQLite-friendly)."""
    os.environ.setdefault("HBM_DEMO", "1" if args.demo else "0")
    _django_setup()
    _manage(["migrate", "--no-input", "-v", "0"])
    _manage(["collectstatic", "--no-input", "-v", "0"])
    if args.demo:
        from hbm.demo.load import demo_is_loaded, demo_load

        if not demo_is_loaded():
            print("Loading the demo emergency (seeded, takes a minute)…", flush=True)
            summary = demo_load(seed=args.seed, reset=False)
            print(json.dumps(summary), flush=True)
        from hbm.demo.load import demo_users_text

        print(demo_users_text(), flush=True)
    if args.dedup_worker:
        _dedup_worker_start()
    print(f"HBM is serving at http://{args.host}:{args.port}/", flush=True)
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "hbm.config.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        args.worker_class,
        # The control socket lives in one fixed place per user: two servers would fight over it.
        "--no-control-socket",
        "--access-logfile",
        "-" if args.access_log else "/dev/null",
    ]
    os.execvp(gunicorn[0], gunicorn)  # noqa: S606 - replace this process with the server
    return 0


def _dedup_worker_start() -> None:
    """The duplicate checker runs beside the server and ends with it (it watches this process id,
    which gunicorn keeps: exec replaces the program, not the process)."""
    import subprocess

    command = [sys.executable, "-m", "hbm.cli", "dedup", "work", "--parent", str(os.getpid())]
    subprocess.Popen(command, start_new_session=False)  # noqa: S603 - our own module, fixed arguments


def _parent_alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def cmd_dedup(args: argparse.Namespace) -> int:
    """De-duplication: the background checker, the sweep, the face index, the model's weights."""
    _django_setup()
    import time

    from hbm.dedup import services
    from hbm.tracing.services import tracing_pending_search

    if args.dedup_command == "work":
        from hbm.dedup.records import match_terms_maintain

        while _parent_alive(args.parent):
            done = services.dedup_pending_process(limit=args.batch)
            if done:
                match_terms_maintain()  # how common each name is, counted again as arrivals grow
            # Open tracing requests meet the persons just checked (their blocking keys are stored).
            traced = tracing_pending_search()
            if args.once:
                print(
                    json.dumps(
                        {
                            "checked": len(done),
                            "candidates": sum(o.candidates for o in done),
                            "tracing_matches": traced,
                        }
                    )
                )
                return 0
            if not done:
                time.sleep(args.interval)
        return 0
    if args.dedup_command == "sweep":
        marked = services.population_recheck()
        print(json.dumps({"marked_for_recheck": marked}))
        if args.now:
            total = 0
            while done := services.dedup_pending_process(limit=args.batch):
                total += len(done)
            print(json.dumps({"checked": total}))
        return 0
    if args.dedup_command == "status":
        from hbm.dedup.selectors import check_backlog_read, links_to_confirm_count

        backlog = check_backlog_read()
        since = backlog.oldest_since.isoformat() if backlog.oldest_since else None
        print(
            json.dumps(
                {
                    "waiting": backlog.waiting,
                    "oldest_since": since,
                    "behind": backlog.behind,
                    "swept": backlog.swept,
                    "links_to_confirm": links_to_confirm_count(),
                }
            )
        )
        return 0
    if args.dedup_command == "reindex":
        from hbm.dedup.faces import index_rebuild

        index = index_rebuild()
        print(json.dumps({"face_templates": len(index)}))
        return 0
    if args.dedup_command == "terms":
        from hbm.dedup.records import match_terms_refresh

        version = match_terms_refresh()
        print(json.dumps({"stored": True, "records": version.records, "model": str(version.pk)}))
        return 0
    if args.dedup_command == "estimate":
        from hbm.dedup.records import EstimateRejected, match_model_estimate

        try:
            version, agreement = match_model_estimate(force=args.force)
        except EstimateRejected as rejected:
            print(f"hbm dedup estimate: {rejected}; --force stores them anyway", file=sys.stderr)
            print(json.dumps({"stored": False, **rejected.agreement.as_dict()}))
            return 1
        print(
            json.dumps(
                {"stored": True, "records": version.records, "model": str(version.pk), **agreement.as_dict()}
            )
        )
        return 0
    return 2


def cmd_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("HBM_DEMO", "1")
    _django_setup()
    _manage(["migrate", "--no-input", "-v", "0"])
    from hbm.demo.load import demo_load

    print(json.dumps(demo_load(seed=args.seed, reset=args.reset)))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    _django_setup()
    from hbm.audit.selectors import audit_chain_verify

    verdict = audit_chain_verify()
    if verdict.is_intact:
        print(f"audit trail intact: {verdict.checked} entries verified")
        return 0
    print(
        f"audit trail BROKEN at entry #{verdict.first_broken}: {verdict.reason} "
        f"({verdict.checked} entries verified before it)",
        file=sys.stderr,
    )
    return 1


def openapi_document() -> str:
    """The OpenAPI document of the code, as stable, sorted, indented JSON."""
    _django_setup()
    from hbm.api.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def cmd_openapi(args: argparse.Namespace) -> int:
    document = openapi_document()
    if args.check:
        committed = Path(args.check).read_text() if Path(args.check).exists() else ""
        if committed != document:
            print(
                f"{args.check} has drifted from the code: run `hbm openapi --write {args.check}`",
                file=sys.stderr,
            )
            return 1
        print(f"{args.check} matches the code")
        return 0
    if args.write:
        Path(args.write).write_text(document)
        return 0
    sys.stdout.write(document)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from hbm.bench import BENCHMARKS

    runner = BENCHMARKS.get(args.name)
    if runner is None:
        print(f"unknown benchmark {args.name!r}; known: {', '.join(sorted(BENCHMARKS))}", file=sys.stderr)
        return 2
    print(json.dumps(runner(args.options)))
    return 0


def cmd_simulate_sweep(args: argparse.Namespace) -> int:
    """Run a sweep file on Dask (a local cluster, or the scheduler named) and print its table."""
    from dataclasses import replace

    from hbm.engines.simulation import ClusterMismatch, ScenarioError, load_sweep, sweep

    try:
        plan = load_sweep(Path(args.scenarios).read_text(encoding="utf-8"))
        if args.replications is not None or args.seed is not None:
            plan = replace(
                plan,
                replications=plan.replications if args.replications is None else args.replications,
                seed=plan.seed if args.seed is None else args.seed,
            )
        result = sweep(plan, scheduler=args.scheduler, workers=args.workers)
    except (ScenarioError, ClusterMismatch, OSError, TimeoutError) as error:
        print(f"hbm simulate sweep: {error}", file=sys.stderr)
        return 2
    printed = result.as_csv() if args.format == "csv" else json.dumps(result.as_json(), indent=2) + "\n"
    sys.stdout.write(printed)
    return 0


def cmd_user_create(args: argparse.Namespace) -> int:
    """Create a user with a role, an organisation and postings; the password comes from stdin
    (``--password-stdin``) or an interactive prompt, never from the command line."""
    _django_setup()
    import getpass

    from django.db import transaction

    from hbm.accounts.enums import Role
    from hbm.accounts.models import Organisation
    from hbm.accounts.services import user_create
    from hbm.core.errors import HbmError
    from hbm.crossings.models import CrossingPoint
    from hbm.crossings.services import crossing_point_assign

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    organisation = Organisation.objects.filter(name=args.organisation).first() if args.organisation else None
    if args.organisation and organisation is None:
        print(f"no organisation named {args.organisation!r}", file=sys.stderr)
        return 2
    points = list(CrossingPoint.objects.filter(code__in=args.post))
    missing = sorted(set(args.post) - {p.code for p in points})
    if missing:
        print(f"no crossing point with code {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        with transaction.atomic():
            user = user_create(
                actor=None,
                username=args.username,
                password=password,
                role=Role(args.role),
                organisation=organisation,
            )
            for point in points:
                crossing_point_assign(crossing_point=point, users=[user])
    except HbmError as exc:
        print(f"refused: {exc.message} {exc.fields or ''}", file=sys.stderr)
        return 1
    posts = ", ".join(p.code for p in points) or "no crossing point"
    print(f"created {user.username} ({args.role}) posted at {posts}")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    _django_setup()
    from hbm.accounts.models import User

    for user in User.objects.select_related("organisation").order_by("username"):
        posts = ",".join(user.crossing_points.values_list("code", flat=True))
        org = user.organisation.name if user.organisation else "-"
        state = "active" if user.is_active else "inactive"
        print(f"{user.username:<20} {user.role:<18} {state:<8} {org:<32} {posts}")
    return 0


def cmd_plans(args: argparse.Namespace) -> int:
    """Contingency plans: check their triggers (raising the day's alerts), or compute a scenario of
    any size (the web and API compute only what fits in a request)."""
    _django_setup()
    from hbm.core.errors import HbmError

    try:
        if args.plans_command == "check-triggers":
            return _plans_check_triggers()
        return _plans_compute(args)
    except HbmError as exc:
        print(f"refused: {exc.message} {exc.fields or ''}", file=sys.stderr)
        return 1


def _plans_check_triggers() -> int:
    from hbm.preparedness.alerts import triggers_check

    checks = triggers_check(checked_by="cli")
    for check in checks:
        print(
            json.dumps(
                {
                    "plan": str(check.plan.pk),
                    "crossing_point": check.plan.crossing_point.code,
                    "metric": str(check.metric),
                    "threshold": check.threshold,
                    "unit": check.unit,
                    "value": check.value,
                    "source": check.source,
                    "state": check.state,
                    "alert": str(check.alert.pk) if check.alert else None,
                    "raised": check.raised,
                }
            )
        )
    raised = sum(1 for check in checks if check.raised)
    print(json.dumps({"checked": len(checks), "raised": raised}))
    return 0


def _plans_compute(args: argparse.Namespace) -> int:
    from hbm.preparedness.models import ContingencyPlan
    from hbm.preparedness.selectors import plan_scenario
    from hbm.preparedness.services import scenario_compute

    plan = ContingencyPlan.objects.filter(pk=args.plan).first()
    if plan is None:
        print(f"no plan {args.plan}", file=sys.stderr)
        return 1
    scenario = plan_scenario(plan=plan, kind=args.scenario)
    result = scenario_compute(actor=None, scenario=scenario, seed=args.seed, bounded=False)
    summary = {
        "result": str(result.pk),
        "seed": result.seed,
        "seconds": result.seconds,
        "engine_version": result.engine_version,
        "backlog_persons": result.figures["backlog_persons"]["mean"],
    }
    print(json.dumps(summary))
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _django_setup()
    _manage(args.rest)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hbm", description="Humanitarian Border Management")
    sub = parser.add_subparsers(dest="command", required=True)

    start = sub.add_parser("start", help="migrate, load demo data, serve")
    start.add_argument("--host", default="127.0.0.1")
    start.add_argument("--port", type=int, default=8000)
    # Measured (benchmarks/RESULTS.md): single-threaded workers are fastest, because a thread
    # holding the write lock never waits for the GIL behind a sibling thread.
    start.add_argument("--workers", type=int, default=3)
    start.add_argument("--threads", type=int, default=1)
    # gthread parks idle keep-alive connections (browsers, field devices) without holding a worker;
    # sync balances every request over the workers but wants a buffering proxy (nginx) in front.
    start.add_argument("--worker-class", choices=("gthread", "sync"), default="gthread")
    start.add_argument("--no-demo", dest="demo", action="store_false", help="start without demo data")
    start.add_argument(
        "--no-dedup-worker",
        dest="dedup_worker",
        action="store_false",
        help="do not start the duplicate checker beside the server (run `hbm dedup work` elsewhere)",
    )
    start.add_argument("--seed", type=int, default=2026)
    start.add_argument("--access-log", action="store_true")
    start.set_defaults(func=cmd_start)

    demo = sub.add_parser("demo", help="load the seeded demo emergency")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--reset", action="store_true", help="delete the database's data first")
    demo.set_defaults(func=cmd_demo)

    audit = sub.add_parser("audit", help="audit trail tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="verify the hash chain")
    verify.set_defaults(func=cmd_audit)

    openapi = sub.add_parser("openapi", help="print, write or check the OpenAPI document")
    group = openapi.add_mutually_exclusive_group()
    group.add_argument("--check", metavar="FILE")
    group.add_argument("--write", metavar="FILE")
    openapi.set_defaults(func=cmd_openapi)

    bench = sub.add_parser("bench", help="run a benchmark and print one JSON object")
    bench.add_argument("name")
    bench.add_argument("options", nargs=argparse.REMAINDER)
    bench.set_defaults(func=cmd_bench)

    from hbm.accounts.enums import Role

    user = sub.add_parser("user", help="users: create, list")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    create = user_sub.add_parser("create", help="create a user (the password is asked for)")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--organisation", help="the organisation's exact name")
    create.add_argument(
        "--post", action="append", default=[], metavar="CODE", help="post at a crossing point"
    )
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(func=cmd_user_create)
    listing = user_sub.add_parser("list", help="list users with role, organisation and postings")
    listing.set_defaults(func=cmd_user_list)

    dedup = sub.add_parser("dedup", help="duplicate checks: worker, sweep, face index, weights")
    dedup_sub = dedup.add_subparsers(dest="dedup_command", required=True)
    work = dedup_sub.add_parser(
        "work",
        help=(
            "check every new or changed person, and search for the relatives of open tracing requests"
            " (runs beside the server)"
        ),
    )
    work.add_argument("--once", action="store_true", help="one batch, then exit")
    work.add_argument("--batch", type=int, default=200)
    work.add_argument("--interval", type=float, default=2.0, help="seconds to wait when nothing is pending")
    work.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)
    sweep = dedup_sub.add_parser("sweep", help="re-check the whole population (after a threshold change)")
    sweep.add_argument("--now", action="store_true", help="check here and now instead of by the worker")
    sweep.add_argument("--batch", type=int, default=500)
    dedup_sub.add_parser(
        "status",
        help="how far the checks are behind: persons waiting, since when, what a sweep has left;"
        " links of children's records waiting for a second adjudicator",
    )
    dedup_sub.add_parser("reindex", help="rebuild the 1:N face index from the database")
    estimate = dedup_sub.add_parser(
        "estimate",
        help="estimate the matching weights from the population (EM); not stored if they decide the "
        "adjudicated pairs worse than the weights in use",
    )
    estimate.add_argument(
        "--force", action="store_true", help="store the estimate even if it decides adjudicated pairs worse"
    )
    dedup_sub.add_parser(
        "terms",
        help="count again how common each name, birth date and parent's name is; the weights stay",
    )
    dedup.set_defaults(func=cmd_dedup)

    simulate = sub.add_parser("simulate", help="simulation: large sweeps on Dask")
    simulate_sub = simulate.add_subparsers(dest="simulate_command", required=True)
    scenario_sweep = simulate_sub.add_parser(
        "sweep", help="every scenario × staffing option × replication of a sweep file, on Dask"
    )
    scenario_sweep.add_argument("--scenarios", required=True, help="a sweep file (YAML or JSON, hbm-sweep/1)")
    scenario_sweep.add_argument(
        "--scheduler", default=None, help="an existing Dask scheduler (tcp://host:8786); default: local"
    )
    scenario_sweep.add_argument("--workers", type=int, default=None, help="local cluster: worker processes")
    scenario_sweep.add_argument("--replications", type=int, default=None, help="override the file's")
    scenario_sweep.add_argument("--seed", type=int, default=None, help="override the file's")
    scenario_sweep.add_argument("--format", choices=("json", "csv"), default="json")
    scenario_sweep.set_defaults(func=cmd_simulate_sweep)

    plans = sub.add_parser("plans", help="contingency plans: check triggers, compute a scenario")
    plans_sub = plans.add_subparsers(dest="plans_command", required=True)
    plans_sub.add_parser(
        "check-triggers", help="compare active plans' triggers with today's figures; raise the day's alerts"
    )
    compute = plans_sub.add_parser("compute", help="compute a scenario of any size and store its result")
    compute.add_argument("plan", help="the plan's id")
    compute.add_argument("--scenario", default="most_likely", choices=("best", "most_likely", "worst"))
    compute.add_argument("--seed", type=int, default=1)
    plans.set_defaults(func=cmd_plans)

    manage = sub.add_parser("manage", help="a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)


if __name__ == "__main__":
    raise SystemExit(main())
