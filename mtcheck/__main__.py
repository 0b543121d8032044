"""``python -m mtcheck``: the same command line as the ``mtcheck`` script."""

from .cli import main

if __name__ == "__main__":
    main()
