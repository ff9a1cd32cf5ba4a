"""Run one server module with kefu's logging set up before it imports anything:
`python -m bot.runtime.logged PROCESS MODULE [ARGS...]`.

In the JSON format (`KEFU_LOG_FORMAT=json`) every line must be a JSON object, including the warnings Python prints
while Rasa, Sanic and their libraries import: Sanic turns DeprecationWarnings back on, so `PYTHONWARNINGS` cannot
silence them. Setting up the logs first (warnings captured as log records) makes them JSON lines too; the module
re-applies the set-up once its server has configured its own loggers.
"""

from __future__ import annotations

import runpy
import sys
from collections.abc import Sequence

from bot.observability.logs import configure_logging


def main(argv: Sequence[str]) -> None:
    """Set up the logs of `PROCESS`, then run `MODULE` as `python -m MODULE ARGS...` would."""
    process, module, *arguments = argv
    configure_logging(process)
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
