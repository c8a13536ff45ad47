"""ESC/POS ticket printer: transports, profiles, status, templates as data, a virtual printer."""

from drivers.printer.capabilities_cache import ensure_capabilities_cache

# Before anything below imports escpos, which reads (or half-writes) its cache at import.
ensure_capabilities_cache()

from drivers.printer.driver import REASONS, JobResult, PrinterDriver
from drivers.printer.profiles import PrinterProfile, ProfileError, load_profile
from drivers.printer.render import TemplateError, TicketRenderer, example_data, template_names
from drivers.printer.status import PrinterState, PrinterStatus
from drivers.printer.transport import TransportError, open_printer

__all__ = [
    "REASONS",
    "JobResult",
    "PrinterDriver",
    "PrinterProfile",
    "PrinterState",
    "PrinterStatus",
    "ProfileError",
    "TemplateError",
    "TicketRenderer",
    "TransportError",
    "example_data",
    "load_profile",
    "open_printer",
    "template_names",
]
