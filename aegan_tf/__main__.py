"""``python -m aegan_tf``: the command line of :mod:`aegan_tf.cli`."""

from aegan_tf.cli import main

raise SystemExit(main())
