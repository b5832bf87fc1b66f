#!/usr/bin/env python
"""Django's command-line utility for skillcert (same as the `skillcert` console command)."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from skillcert.__main__ import main

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcert.settings")
    main()
