"""Times shell commands interleaved (a, b, c, a, b, c, ...), so that drift
in the machine's load falls on every command alike, and prints medians and
ratios. Each command's output is checked once before timing.

Usage: interleave.py RUNS WARMUP NAME=COMMAND [NAME=COMMAND ...] [ratio:X/Y ...]

The ratios of the first command's median to each other's are printed, and
those asked for with ratio:X/Y.
"""
import statistics
import subprocess
import sys
import time

runs, warmup = int(sys.argv[1]), int(sys.argv[2])
extra_ratios = [arg[len("ratio:"):].split("/") for arg in sys.argv[3:] if arg.startswith("ratio:")]
commands = [arg.split("=", 1) for arg in sys.argv[3:] if not arg.startswith("ratio:")]


def run(command):
    started = time.perf_counter()
    result = subprocess.run(command, shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    return elapsed, result


for name, command in commands:
    _, result = run(command)
    print(f"{name}: exit {result.returncode}, output {result.stdout.decode().strip()[:120]!r}")
    if result.returncode != 0:
        sys.exit(f"{name} failed before timing")

samples = {name: [] for name, _ in commands}
for round_number in range(warmup + runs):
    for name, command in commands:
        elapsed, _ = run(command)
        if round_number >= warmup:
            samples[name].append(elapsed)

print(f"\n{runs} interleaved runs each after {warmup} warm-up rounds")
medians = {}
for name, _ in commands:
    values = sorted(samples[name])
    medians[name] = statistics.median(values)
    print(f"{name:<10} median {medians[name] * 1000:8.2f} ms   min {values[0] * 1000:8.2f} ms   max {values[-1] * 1000:8.2f} ms")
names = [name for name, _ in commands]
first = names[0]
for other in names[1:]:
    print(f"ratio {first}/{other} = {medians[first] / medians[other]:.3f}")
for numerator, denominator in extra_ratios:
    print(f"ratio {numerator}/{denominator} = {medians[numerator] / medians[denominator]:.3f}")
