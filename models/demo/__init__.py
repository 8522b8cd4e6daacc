"""The demo program office (small and large) that `make run` and the tests open.

Its tables are data (``data_*`` modules), one small module builds each area, and
:func:`build_demo` (in :mod:`~docket.models.demo.builder`) writes it all.
"""

from docket.models.demo.builder import SIZES, build_demo

__all__ = ["SIZES", "build_demo"]
