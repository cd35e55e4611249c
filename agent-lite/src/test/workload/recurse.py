"""A pure-Python workload: main() calls recurse() 20 levels deep, which calls leaf_work()."""
import sys
import time


def leaf_work():
    total = 0
    for i in range(2000):
        total += i * i % 7
    return total


def recurse(depth):
    if depth == 0:
        return leaf_work()
    return recurse(depth - 1)


def main(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        recurse(20)


main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0)
