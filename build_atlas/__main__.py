"""`python -m build_atlas …`: see cli.py."""

from .cli import main

raise SystemExit(main())
