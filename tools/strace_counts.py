"""Reads the table `strace -c -o FILE` writes: {syscall: calls}. Shared by
the server benchmark (benchmarks/server/run.py) and the steady poll-loop
test (tests/sockets/poll_steady_test.py)."""


def syscall_counts(path):
    calls = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            # % time, seconds, usecs/call, calls, [errors], syscall
            if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1] != "total":
                calls[parts[-1]] = int(parts[3])
    return calls
