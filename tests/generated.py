"""benchmarks/generate.py loaded once as a module, for the tests that need a generated province."""

import importlib.util
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


def _load():
    spec = importlib.util.spec_from_file_location("benchmark_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generator = _load()
