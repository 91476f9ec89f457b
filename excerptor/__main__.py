from excerptor.cli import main

raise SystemExit(main())
