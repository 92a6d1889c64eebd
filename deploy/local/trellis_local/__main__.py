"""`python -m trellis_local ...`: see trellis_local.cli."""

from trellis_local.cli import main

raise SystemExit(main())
