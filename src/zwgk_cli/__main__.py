"""``python -m zwgk_cli`` and the ``zwgk`` command: the cyclic garbage collector is turned off
before anything is imported (see ``cli.main``), so that it does not scan the objects that
importing a few hundred modules makes (about 4% of the instructions of the imports)."""

import gc


def run() -> None:
    gc.disable()
    from zwgk_cli.cli import main

    main()


if __name__ == "__main__":
    run()
