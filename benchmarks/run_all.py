"""Run every benchmark in this folder (``bench_*.py``, each with a ``main()``), in turn.

``make bench`` calls this; each benchmark prints its own table and writes its plots to
``out/bench/``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(selected: list[str]) -> None:
    for path in sorted(HERE.glob("bench_*.py")):
        if selected and not any(name in path.stem for name in selected):
            continue
        print(f"\n=== {path.stem} ===", flush=True)
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        assert spec.loader is not None
        spec.loader.exec_module(module)
        sys.argv = [str(path)]  # each benchmark reads its own options, not the selection
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
