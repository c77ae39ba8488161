"""Make this folder's shared helper (``redteam_cases``) importable."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
