"""PySide6's ``Property`` as a type checker should see it: a read-only attribute of the getter's type.

PySide6 6.11's stubs type ``@Property(str)`` as returning a ``Property`` object, so
``shell.language`` reads as a ``Property`` rather than a ``str`` and a QML type name such as
``"QVariantMap"`` is refused. At run time this module hands out PySide6's own ``Property``
unchanged; only mypy sees the typed descriptor below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Generic, TypeVar, overload

    from PySide6.QtCore import Signal

    T = TypeVar("T")

    class ReadOnlyProperty(Generic[T]):
        """What ``@Property(...)`` makes of a getter, seen from Python code."""

        @overload
        def __get__(self, instance: None, owner: type, /) -> ReadOnlyProperty[T]: ...
        @overload
        def __get__(self, instance: object, owner: type, /) -> T: ...
        def __get__(self, instance: object, owner: type, /) -> T | ReadOnlyProperty[T]: ...

    class Property:
        def __init__(self, type: type | str, /, *, notify: Signal | None = None,
                     constant: bool = False, final: bool = False) -> None: ...

        def __call__(self, fget: Callable[[Any], T], /) -> ReadOnlyProperty[T]: ...
else:
    from PySide6.QtCore import Property

__all__ = ["Property"]
