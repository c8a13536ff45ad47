"""The staff desk: server-rendered pages under ``/desk/`` served by the centre itself.

``install(app, service)`` adds the desk's router and static files to the centre's FastAPI
app and returns a :class:`DeskRuntime` whose ``start``/``stop`` run the periodic overdue
check. The desk authenticates people by session cookie, never by the kiosks' bearer tokens.
"""

from __future__ import annotations

from central.desk.routes import DeskRuntime, install

__all__ = ["DeskRuntime", "install"]
