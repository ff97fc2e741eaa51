"""Where Arrow takes the memory of the ledgers from."""

from __future__ import annotations

import pyarrow as pa


def use_system_allocator() -> None:
    """Arrow's buffers from the C library's malloc instead of the mimalloc its wheels bundle.

    Measured on a province-year (2 cores, Linux, 4 runs): the whole audit 15.1 s → 13.7 s, the bare Parquet read
    twice as fast. Under mimalloc the first large column a process built cost several times the next (a rule's
    first take of the patrols 1.1 s, then 0.2 s), in the forked processes as in this one. This process peaks about
    0.2 GB higher; the machine, second processes included, did not rise (2.5–2.7 GB when measured, 1.9 GB since
    the workbook is written by columns). Set by the command line, not on import: a program using the library keeps
    its own choice."""
    pa.set_memory_pool(pa.system_memory_pool())
