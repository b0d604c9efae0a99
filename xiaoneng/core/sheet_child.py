"""The child process that parses one spreadsheet for `core.guarded.parse_sheet`.

Run as a script (`python sheet_child.py MEMORY_BYTES CPU_SECONDS SHEET_JSON`), the file on
standard input, a pickled answer on standard output. It imports nothing of Django and
nothing of the project: it only limits itself, then hands the bytes to calamine, whose
failures (including an abort on an allocation it cannot make) end this process only.
"""

import io
import json
import pickle
import resource
import sys
from typing import Any


def main() -> None:
    memory, cpu_seconds, wanted = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    data = sys.stdin.buffer.read()

    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # corrupt file: calamine's own error types
        answer: dict[str, Any] = {"error": "unreadable", "detail": str(exc)[:300]}
    else:
        names = book.sheet_names
        if not names:
            answer = {"error": "no_sheets", "names": []}
        else:
            name = names[wanted] if isinstance(wanted, int) else wanted
            if name not in names:
                answer = {"error": "no_such_sheet", "names": names}
            else:
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                answer = {"names": names, "sheet": name, "rows": rows}
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
