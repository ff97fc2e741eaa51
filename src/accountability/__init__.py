"""打非治违 compliance and accountability checker."""

__version__ = "0.1.0"
