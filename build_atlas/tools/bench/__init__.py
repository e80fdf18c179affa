"""`make bench`: each build stage's time and memory at the real size and scaled up, page weight, and how fast
`make serve` shows an edit. It reports figures, never enforces them: targets print as pass/fail, and the exit
status is 1 only when a measurement could not be taken. Results: bench/results.json and bench/results.md.

Each stage runs in a fresh subprocess (`--stage`), so no stage warms the next, and its peak RSS is its own:
VmHWM from /proc/self/status, because getrusage's ru_maxrss survives execve and would start at the parent's
size; RSS also counts the numpy, GEOS and matplotlib buffers that tracemalloc cannot see.
"""
