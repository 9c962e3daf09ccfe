"""``python -m spacedrive_host`` is the ``spacedrive`` command."""

from .cli import main

main()
