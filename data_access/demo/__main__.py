"""``python -m data_access.demo``: see the package's docstring."""

from data_access.demo import main

raise SystemExit(main())
