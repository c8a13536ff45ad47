"""The fault tests' simulated hall: its centre runs as its own process (stopped and started
again on the same port and database) behind a FaultProxy, its reader and printer can be
unplugged. Shared by tests/faults and the e2e tests that need a centre that can go down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kiosk.config import Settings
from kiosk.simulation import Simulation
from tests.faults.wire import CentreProcess, CentreRecords, FaultProxy


class FaultHall(Simulation):
    """A simulated hall whose centre, network, reader and printer a test can break and mend."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.centre = CentreProcess(workdir / "centre")
        self.proxy: FaultProxy | None = None
        self.printer_port = 0

    def _start_central(self) -> None:
        info = self.centre.start_demo()
        self.proxy = FaultProxy(self.centre.port)
        self.central_info = {**info, "url": self.proxy.url}

    def _start_printer(self, settings: Settings) -> Settings:
        settings = super()._start_printer(settings)
        self.printer_port = settings.printer.port
        return settings

    @property
    def records(self) -> CentreRecords:
        return CentreRecords(self.centre.database)

    def unplug_printer(self) -> None:
        """The printer's cable is pulled: nothing listens on its port any more."""
        self.virtual_printer.stop()

    def replug_printer(self) -> None:
        """A printer is back on the same address (a fresh one: paper loaded, state ok)."""
        from drivers.printer.virtual import VirtualPrinter

        self.virtual_printer = VirtualPrinter(self.workdir / "tickets", paper_mm=80)
        self.virtual_printer.start_tcp(port=self.printer_port)

    def stop(self) -> None:
        super().stop()
        if self.proxy is not None:
            self.proxy.close()
        self.centre.stop()


def running_fault_hall(workdir: Path) -> Iterator[tuple[FaultHall, Settings]]:
    """Start a FaultHall in ``workdir`` with a kiosk's settings pointing at it; stop it after."""
    base = (Settings().replace("kiosk", data_dir=str(workdir / "var"))
            .replace("display", fullscreen=False, width=1080, height=1920, diagonal_inches=21.5)
            .replace("ui", voice_engine="mock"))
    simulation = FaultHall(workdir / "sim")
    settings = simulation.start(base)
    try:
        yield simulation, settings
    finally:
        simulation.stop()
