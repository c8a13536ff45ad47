"""Staff calling endpoints (/v1/staff/windows/...), token-protected like every /v1/staff path.

The desk's window page calls the same :class:`central.calling.Calling` methods.
"""


from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Path
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from central.calling import Calling
from central.web.live import LiveHub

WINDOW_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z-]{0,5}$"
MATTER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
WindowNo = Annotated[str, Path(pattern=WINDOW_PATTERN, description="Window number, e.g. 21")]


def _json_integer(value: Any) -> Any:
    """JSON Schema integers include 4.0 but not true or "4" (as central.app's JsonInt)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class WindowBody(_Strict):
    matters: list[Annotated[str, Field(pattern=MATTER_PATTERN)]] = Field(
        min_length=1, max_length=200,
        description="Matters this window serves; several = a comprehensive window pooling "
                    "their queues (无差别综合窗口)")


class ToMatter(_Strict):
    to_matter: str = Field(pattern=MATTER_PATTERN, description="Back into this matter's queue")


class ToWindow(_Strict):
    to_window: str = Field(pattern=WINDOW_PATTERN, description="Called to this window at once")


class RulesBody(_Strict):
    priority_every: JsonInt = Field(0, ge=0, le=100, description=(
        "0: green-channel tickets always first; N: one regular ticket after N priority calls "
        "in a row at a window"))
    no_show_after: JsonInt = Field(2, ge=0, le=10, description="Recalls before no-show is allowed")
    slot_grace_min: JsonInt | None = Field(None, ge=0, le=240, description=(
        "Minutes after an appointment slot's start within which a late check-in keeps the "
        "slot's place; later it queues as a walk-in (default 15; absent: unchanged)"))


class CurrentOut(BaseModel):
    id: str
    number: str


class WindowOut(BaseModel):
    window: str
    matters: list[str]
    paused: bool
    paused_at: str | None
    current: CurrentOut | None
    waiting: int = Field(ge=0, description="Tickets waiting in this window's pooled queues")


class CalledTicketOut(BaseModel):
    id: str
    number: str
    matter_id: str = Field(description="The queue it is in now (after a transfer, the new one)")
    matter_name: str
    matter_name_en: str
    zone_name: str
    zone_name_en: str
    status: Literal["waiting", "called", "served", "no_show", "expired"]
    ahead: int = Field(ge=0)
    estimated_wait_s: int | None = Field(description="From the hall's measured service times")
    window: str | None
    called_at: str | None
    recalls: int = Field(ge=0)
    issued_at: str
    finished_at: str | None
    appointment_slot: str | None = Field(
        None, description="A checked-in appointment's booked slot start (ISO time)")
    slot_state: Literal["early", "in_place", "lost"] | None = Field(
        None, description="A waiting appointment's place by its slot: `early` (waits as a "
                          "walk-in until the slot starts), `in_place` (in its slot's place), "
                          "`lost` (checked in later than the hall's grace: an ordinary walk-in)")
    green_channel: bool = Field(False, description="A green-channel (绿色通道) ticket")


class RulesOut(BaseModel):
    priority_every: int
    no_show_after: int
    slot_grace_min: int


def install(app: FastAPI, calling: Calling, live: LiveHub, staff: Any,
            run: Callable[..., Awaitable[Any]],
            problems: Callable[..., dict[int | str, dict[str, Any]]]) -> None:
    """Add the calling endpoints; ``staff`` is the app's staff-principal dependency type."""

    async def changed(hall: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # The live feed hears of the change from Calling itself (Calling.listeners).
        return await run(fn, *args, **kwargs)

    @app.get("/v1/staff/windows", response_model=list[WindowOut], tags=["calling"],
             summary="The hall's windows: matters, paused, current ticket, waiting",
             responses=problems(403))
    async def list_windows(who: staff) -> Any:
        return await run(calling.windows, who.hall)

    @app.put("/v1/staff/windows/{window}", response_model=WindowOut, tags=["calling"],
             summary="Open a window or change the matters it serves",
             responses=problems(403, 404))
    async def set_window(window: WindowNo, body: WindowBody,
                         who: staff) -> Any:
        return await run(calling.set_window, who.hall, window, body.matters)

    def action(name: str, summary: str, fn: Callable[..., Any],
               statuses: tuple[int, ...] = (403, 404, 409)) -> None:
        async def handler(window: WindowNo, who: staff) -> Any:
            return await changed(who.hall, fn, who.hall, window)

        handler.__name__ = f"window_{name.replace('-', '_')}"
        app.post(f"/v1/staff/windows/{{window}}/{name}", response_model=CalledTicketOut,
                 tags=["calling"], summary=summary, responses=problems(*statuses))(handler)

    action("call-next", "Call the next number of the window's matters (green channel first); "
           "the current one counts as served", calling.call_next)
    action("recall", "Call the current number again (display and voice)", calling.recall)
    action("served", "The current number has been served", calling.served)
    action("no-show", "The current number did not come (after the hall's recalls)",
           calling.no_show)

    @app.post("/v1/staff/windows/{window}/transfer", response_model=CalledTicketOut,
              tags=["calling"], summary="Send the current number to another matter's queue "
              "or call it to another window", responses=problems(403, 404, 409))
    async def transfer(window: WindowNo, body: ToMatter | ToWindow,
                       who: staff) -> Any:
        return await changed(who.hall, calling.transfer, who.hall, window,
                             to_matter=getattr(body, "to_matter", None),
                             to_window=getattr(body, "to_window", None))

    @app.post("/v1/staff/windows/{window}/pause", response_model=WindowOut, tags=["calling"],
              summary="Pause calling at this window", responses=problems(403, 404))
    async def window_pause(window: WindowNo, who: staff) -> Any:
        return await changed(who.hall, calling.pause, who.hall, window, True)

    @app.post("/v1/staff/windows/{window}/resume", response_model=WindowOut, tags=["calling"],
              summary="Resume calling at this window", responses=problems(403, 404))
    async def window_resume(window: WindowNo, who: staff) -> Any:
        return await changed(who.hall, calling.pause, who.hall, window, False)

    @app.get("/v1/staff/calling-rules", response_model=RulesOut, tags=["calling"],
             summary="The hall's calling rules", responses=problems(403))
    async def get_rules(who: staff) -> Any:
        return await run(calling.rules, who.hall)

    @app.put("/v1/staff/calling-rules", response_model=RulesOut, tags=["calling"],
             summary="Set the green-channel rule, the recalls before no-show and the "
                     "appointment slots' grace",
             responses=problems(403))
    async def set_rules(body: RulesBody, who: staff) -> Any:
        return await run(calling.set_rules, who.hall, body.priority_every, body.no_show_after,
                         body.slot_grace_min)
