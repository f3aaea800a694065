"""Run the whole test suite: on PostgreSQL when one answers, otherwise on SQLite.

DATABASE_URL, when set, wins. Otherwise a server on 127.0.0.1:5432 is used
(user postgres), and failing that an SQLite database, with one line saying so.
Extra arguments are passed to pytest.
"""

import os
import socket
import subprocess
import sys

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/forum"


def postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


def main() -> int:
    env = dict(os.environ)
    # Tests run with DEBUG off, as production does; they need a key, never a real one.
    env.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment")
    if not env.get("DATABASE_URL"):
        if postgres_answers():
            env["DATABASE_URL"] = LOCAL_POSTGRES
        else:
            env["DATABASE_URL"] = "sqlite:///db.sqlite3"
            print("PostgreSQL is not answering on 127.0.0.1:5432: running the tests on SQLite.", flush=True)
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"Running the test suite on {engine}.", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], env=env)


if __name__ == "__main__":
    sys.exit(main())
