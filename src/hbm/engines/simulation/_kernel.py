"""The compiled loops: one stage's schedule, and the waiting area's level over time.

A stage is simulated by walking its groups once, in the order they reach it, with the end times
of the services in progress in a binary min-heap (at most as many entries as the largest shift
has officers). This is the "earliest free server" recursion of Kiefer and Wolfowitz (1955) for a
first-come-first-served multi-server queue, extended — exactly — to two priority classes and to
a number of officers that changes from shift to shift:

- a *decision* is the moment the next service starts; decisions never go back in time;
- the next decision is the earliest time ``t`` at or after the previous one such that someone is
  waiting (has reached the stage by ``t``) and fewer services are in progress at ``t`` than
  officers are on duty in the shift containing ``t``;
- at ``t`` the first waiting group with specific needs starts if there is one (when the stage
  gives priority), else the first waiting group: non-preemptive priority, FCFS within a class.

With one class and a constant number of officers this is Kiefer–Wolfowitz; the time-varying rule
is the same as a SimPy ``PriorityResource`` of the largest shift's size in which the officers off
duty are held by top-priority "blocker" requests (they take the first desks that fall free, so a
service in progress always finishes). ``tests/engines/test_simulation_peer.py`` checks that the
two give identical start times.

Cost: O(n log c) for n groups and c officers, plus at most one step per shift of the day for
each service started (a long idle or busy stretch is crossed in one jump, never shift by shift,
so a service of a day or a gap of a month costs no more than a short one). Compiled with numba
(decision 0009); ``cache=True`` keeps the machine code between processes.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from hbm.engines.compiled import compiled

Floats: TypeAlias = npt.NDArray[np.float64]
Ints: TypeAlias = npt.NDArray[np.int64]
Bools: TypeAlias = npt.NDArray[np.bool_]

_compiled = compiled


@_compiled
def _heap_push(heap: Floats, size: int, value: float) -> int:
    position = size
    heap[position] = value
    while position > 0:
        parent = (position - 1) >> 1
        if heap[parent] <= value:
            break
        heap[position] = heap[parent]
        position = parent
    heap[position] = value
    return size + 1


@_compiled
def _heap_pop(heap: Floats, size: int) -> int:
    size -= 1
    last = heap[size]
    position = 0
    while True:
        child = 2 * position + 1
        if child >= size:
            break
        if child + 1 < size and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= last:
            break
        heap[position] = heap[child]
        position = child
    if size > 0:
        heap[position] = last
    return size


@_compiled
def _period_of(now: float, origin: float, shift_minutes: float) -> int:
    """The shift ``p`` (counted from ``origin``) whose ``[origin + p·L, origin + (p+1)·L)`` holds
    ``now``, with the boundaries computed exactly as the callers compute them."""
    period = int(np.floor((now - origin) / shift_minutes))
    while period > 0 and origin + period * shift_minutes > now:
        period -= 1
    while origin + (period + 1) * shift_minutes <= now:
        period += 1
    return period


@_compiled
def serve_stage(
    ready: Floats,
    urgent: Bools,
    service: Floats,
    servers: Ints,
    shift_minutes: float,
    origin: float,
    start: Floats,
    started: Ints,
) -> None:
    """Schedule one stage. Fills ``start[i]`` (minutes) for every group ``i`` and ``started`` with
    the group positions in the order their services start (so ``start[started]`` is sorted).

    ``ready`` must be sorted (ties keep their order); ``urgent[i]`` marks the priority class
    (all ``False`` for a stage without priority); ``service[i] ≥ 0`` minutes; ``servers[s]`` the
    officers of shift ``s`` of the day, shift ``p`` counted from ``origin`` (≤ min(ready)) being
    ``[origin + p·shift_minutes, origin + (p+1)·shift_minutes)``. Requires ``max(servers) ≥ 1``
    (otherwise nobody could ever start: the caller refuses such a stage).
    """
    n = ready.shape[0]
    if n == 0:
        return
    shifts = servers.shape[0]
    heap = np.empty(max(1, int(servers.max())) + 1)
    size = 0
    first = np.empty(n, np.int64)
    rest = np.empty(n, np.int64)
    n_first = 0
    n_rest = 0
    for i in range(n):
        if urgent[i]:
            first[n_first] = i
            n_first += 1
        else:
            rest[n_rest] = i
            n_rest += 1
    most = servers.max()
    i_first = 0
    i_rest = 0
    now = ready[0]
    period = _period_of(now, origin, shift_minutes)
    boundary = origin + (period + 1) * shift_minutes
    for step in range(n):
        earliest = np.inf
        if i_first < n_first:
            earliest = ready[first[i_first]]
        if i_rest < n_rest and ready[rest[i_rest]] < earliest:
            earliest = ready[rest[i_rest]]
        if now < earliest:
            now = earliest
        if now >= boundary:
            period = _period_of(now, origin, shift_minutes)
            boundary = origin + (period + 1) * shift_minutes
        while size > 0 and heap[0] <= now:
            size = _heap_pop(heap, size)
        while size >= servers[period % shifts]:
            if size > 0 and heap[0] < boundary:
                now = heap[0]
            elif size >= most:
                # No shift of the day has a free officer before the next service ends: go there
                # in one jump (stepping shift by shift could take as long as that service).
                now = heap[0]
                period = _period_of(now, origin, shift_minutes)
                boundary = origin + (period + 1) * shift_minutes
            else:
                # Some shift of the day has more officers than are busy: at most a day of steps.
                now = boundary
                period += 1
                boundary = origin + (period + 1) * shift_minutes
            while size > 0 and heap[0] <= now:
                size = _heap_pop(heap, size)
        if i_first < n_first and ready[first[i_first]] <= now:
            chosen = first[i_first]
            i_first += 1
        else:
            chosen = rest[i_rest]
            i_rest += 1
        start[chosen] = now
        started[step] = chosen
        size = _heap_push(heap, size, now + service[chosen])


@_compiled
def waiting_level(times: Floats, deltas: Ints, bounds: Ints, capacity: float, horizon: float) -> Floats:
    """The persons waiting (in every queue together) as a step function of time, from sorted
    streams of events: stream ``j`` is ``times[bounds[j]:bounds[j+1]]`` (sorted) with the change
    ``deltas`` (+persons on reaching a queue, −persons on leaving it). Streams are merged in time
    order, leaving before reaching at equal times (a group that does not wait is never counted).

    Returns ``[peak, time of the first peak, minutes over capacity, largest excess,
    person-minutes over capacity, peak within the horizon]`` (capacity ``inf`` for none).
    """
    streams = bounds.shape[0] - 1
    heads = bounds[:-1].copy()
    level = 0.0
    peak = 0.0
    peak_at = 0.0
    peak_in_horizon = 0.0
    over_minutes = 0.0
    excess_max = 0.0
    excess_minutes = 0.0
    previous = 0.0
    while True:
        best = -1
        best_time = np.inf
        best_delta = 0
        for j in range(streams):
            if heads[j] < bounds[j + 1]:
                t = times[heads[j]]
                d = deltas[heads[j]]
                if t < best_time or (t == best_time and d < best_delta):
                    best = j
                    best_time = t
                    best_delta = d
        if best < 0:
            break
        if level > capacity:
            over_minutes += best_time - previous
            excess_minutes += (level - capacity) * (best_time - previous)
        previous = best_time
        level += best_delta
        heads[best] += 1
        if level > peak:
            peak = level
            peak_at = best_time
        if best_time < horizon and level > peak_in_horizon:
            peak_in_horizon = level
        if level - capacity > excess_max:
            excess_max = level - capacity
    return np.array([peak, peak_at, over_minutes, excess_max, excess_minutes, peak_in_horizon])
