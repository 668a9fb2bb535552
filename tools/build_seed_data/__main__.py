"""`python -m tools.build_seed_data DATA_DIR [--out FOLDER]`: see build.py."""

from tools.build_seed_data.build import main

raise SystemExit(main())
