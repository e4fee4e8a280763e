#!/usr/bin/python3
"""M/M/c in SimPy: the reference engine of the benchmark.

Classic model: a source process starts one generator per customer, each
customer requests a simpy.Resource(capacity=c), waits its turn (FIFO), holds
the server for an exponential service time and leaves.

Usage: /usr/bin/python3 mmc_simpy.py RATE_PER_S SERVERS MEAN_SERVICE_MS MESSAGES [SEED]
Prints one line on stdout:
    messages=N seconds=W mean_wait_ms=X erlang_c_wait_ms=Y
where W is the wall time of env.run() only (time.perf_counter).

Run it with /usr/bin/python3: SimPy comes from Debian's python3-simpy3
(simpy 3.0.11), installed for the system interpreter only; the python3 first
on PATH may be another one without it.
"""

import math
import random
import sys
import time

try:
    import simpy
except ImportError:
    sys.exit("mmc_simpy.py: cannot import simpy; install Debian's python3-simpy3 "
             "and run this script with /usr/bin/python3 (now: %s)" % sys.executable)


def erlang_c_wait_ms(rate_per_s, servers, mean_service_ms):
    """Erlang C mean wait in queue, in ms, for M/M/c."""
    a = rate_per_s * mean_service_ms / 1000.0  # offered load, Erlangs
    rho = a / servers
    if rho >= 1.0:
        return math.inf
    term, total = 1.0, 0.0  # term = a^k / k!
    for k in range(servers):
        total += term
        term *= a / (k + 1)
    tail = term / (1.0 - rho)
    prob_wait = tail / (total + tail)
    mu = 1000.0 / mean_service_ms
    return prob_wait / (servers * mu - rate_per_s) * 1000.0


def main(argv):
    if len(argv) not in (5, 6):
        sys.exit("usage: %s RATE_PER_S SERVERS MEAN_SERVICE_MS MESSAGES [SEED]" % argv[0])
    rate = float(argv[1])
    servers = int(argv[2])
    mean_service_ms = float(argv[3])
    messages = int(argv[4])
    seed = int(argv[5]) if len(argv) == 6 else 1
    if rate <= 0 or servers < 1 or mean_service_ms <= 0 or messages < 1:
        sys.exit("mmc_simpy.py: RATE, SERVERS, MEAN_SERVICE_MS and MESSAGES must be > 0")

    # Simulated time is in milliseconds.
    mean_interarrival_ms = 1000.0 / rate
    rng = random.Random(seed)
    uniform = rng.random
    log1p = math.log1p

    env = simpy.Environment()
    server = simpy.Resource(env, capacity=servers)
    stats = {"wait": 0.0, "served": 0}

    def customer(env, server):
        arrived = env.now
        with server.request() as req:
            yield req
            stats["wait"] += env.now - arrived
            stats["served"] += 1
            yield env.timeout(-mean_service_ms * log1p(-uniform()))

    def source(env, server):
        for _ in range(messages):
            yield env.timeout(-mean_interarrival_ms * log1p(-uniform()))
            env.process(customer(env, server))

    env.process(source(env, server))
    start = time.perf_counter()
    env.run()
    seconds = time.perf_counter() - start

    if stats["served"] != messages:
        sys.exit("mmc_simpy.py: internal error: %d of %d messages served"
                 % (stats["served"], messages))
    print("messages=%d seconds=%.4f mean_wait_ms=%.4f erlang_c_wait_ms=%.4f"
          % (messages, seconds, stats["wait"] / messages,
             erlang_c_wait_ms(rate, servers, mean_service_ms)))


if __name__ == "__main__":
    main(sys.argv)
