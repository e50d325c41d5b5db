"""A pass whose machine died is marked Crashed within ~2 minutes, so the next pass can start.

``process-inbox`` has one concurrency slot (prefect.yaml ``concurrency_limit: 1``).  A
flow run whose worker loses power stays RUNNING and keeps that slot until its lease runs
out, and Prefect 3.8.8's flow engine renews the lease for 300 s at a time: the district
waited 5-6 minutes with nothing processed.  Prefect's documented answer ("detect zombie
flows") is used as it is: every flow run beats (``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``, 30 s,
Prefect's minimum; set in prefect.yaml's job variables), and a
proactive automation on the server moves a run of ``process-inbox`` that stayed silent for
``SILENT_SECONDS`` without finishing to Crashed.  A terminal state releases the slot at once
(Prefect's ReleaseFlowConcurrencySlots rule).  The stranded files wait in ``processing/``;
the next pass's sweep takes them again and ``Store.mark_interrupted`` closes the runs row.

The automation is made by the pass itself (``ensure_automation`` at the start of every
run a work pool's worker started, idempotent), so ``prefect deploy`` + workers get it with no
extra command, on any server the deployment is pointed at.  ``dti serve`` needs none: its
runner watches its own flow-run processes and marks a dead one Crashed, and its one-pass
limit is the runner's, not a server slot; its runs do not beat, so the local SQLite server
is spared the heartbeat events (which, weighed by the automation, locked it).
"""
from __future__ import annotations

import logging
from datetime import timedelta

log = logging.getLogger(__name__)

FLOW_NAME = "process-inbox"
AUTOMATION_NAME = "dti: crash silent process-inbox runs"
HEARTBEAT_SECONDS = 30     # Prefect refuses less
# three beats missed: a pass on a loaded machine is not taken for dead, a dead one is found in 1.5 min
SILENT_SECONDS = 3 * HEARTBEAT_SECONDS


def automation(silent: int = SILENT_SECONDS):
    """Prefect's "crash zombie flows" automation, limited to runs of ``process-inbox``
    (a province's server may run other flows: theirs are not ours to crash)."""
    from prefect.automations import AutomationCore
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    return AutomationCore(
        name=AUTOMATION_NAME,
        description=("Một lượt process-inbox im lặng quá lâu (máy mất điện, worker bị giết) được đánh dấu "
                     "Crashed để lượt sau chạy được / a silent process-inbox run is marked Crashed so the "
                     "next pass can take its reports (pipeline/zombies.py)"),
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={"prefect.flow-run.heartbeat", "prefect.flow-run.Completed", "prefect.flow-run.Failed",
                    "prefect.flow-run.Cancelled", "prefect.flow-run.Crashed"},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            match_related=ResourceSpecification({"prefect.resource.role": "flow",
                                                 "prefect.resource.name": FLOW_NAME}),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=silent),
        ),
        actions=[ChangeFlowRunState(state=StateType.CRASHED,
                                    message=f"Không có nhịp tim {silent} s / no heartbeat for {silent} s "
                                            "(máy hoặc worker đã mất / its machine or worker was lost)")],
    )


def _essence(a) -> dict:
    """What the automation does, comparable across a round trip (its sets come back in any order)."""
    def norm(v):
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items() if k != "id"}
        if isinstance(v, list):
            items = [norm(x) for x in v]
            return sorted(items) if all(isinstance(x, str) for x in items) else items
        return v
    return norm(a.model_dump(mode="json", include={"trigger", "actions", "enabled"}))


def _same(a, b) -> bool:
    return _essence(a) == _essence(b)


def ensure_automation(client=None, silent: int = SILENT_SECONDS) -> str:
    """Create the automation, or bring an older one up to date; returns its id.  Two passes
    racing on a fresh server may both create it: the extra copies are removed."""
    if client is None:
        from prefect.client.orchestration import get_client
        with get_client(sync_client=True) as own:
            return ensure_automation(own, silent)
    wanted = automation(silent)
    found = client.read_automations_by_name(AUTOMATION_NAME)
    if not found:
        return str(client.create_automation(wanted))
    keep, *extra = sorted(found, key=lambda a: str(a.id))
    for dup in extra:
        client.delete_automation(dup.id)
    if not _same(keep, wanted):
        client.update_automation(keep.id, wanted)
    return str(keep.id)


def ensure_for_this_run() -> None:
    """At the start of a deployed pass: make sure a lost machine cannot hold the slot for long.
    Never fails the pass: without the automation it is only slower to recover (the lease, 5 min)."""
    from prefect.client.orchestration import get_client
    from prefect.runtime import deployment, flow_run
    if not deployment.id:       # `dti run --prefect` on its own server: nothing waits for a slot
        return
    try:
        with get_client(sync_client=True) as client:
            # a run of `dti serve`'s own runner has no work pool: the runner sees its process die and
            # marks the run itself, the slot is the runner's, and the events the automation would
            # weigh only load the local SQLite server ("database is locked" in its log)
            if not client.read_flow_run(flow_run.id).work_pool_name:
                return
            ensure_automation(client)
    except Exception as e:      # an older server without automations, a refused call
        log.warning("không tạo được tự động hoá phát hiện lượt chết / could not create the lost-run "
                    "automation (%s: %s); a lost worker then holds the slot up to 5 minutes",
                    type(e).__name__, str(e).splitlines()[0] if str(e) else "")
