"""Make the shared helpers of this folder (``scenarios``, ``json_evaluator``) importable."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
