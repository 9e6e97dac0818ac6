"""Toolkit micro-benchmarks (issue 3's workloads) for anchor figures: CPython asyncio / uvloop.
usage: python3 toolkit_micro.py [asyncio|uvloop] WORKLOAD N
workloads: handoff (a queue between two tasks, N items), gather (gather of N trivial coroutines),
           lock (100 tasks contending for one lock, N acquisitions in all),
           sleepers (N concurrent sleepers with random delays in [0, 1) s, seeded)
prints: WORKLOAD ops_per_sec (the same format as ../shared/bench/loop_micro.py)"""
import asyncio, random, sys, time

def make_loop(kind):
    if kind == "uvloop":
        import uvloop
        return uvloop.new_event_loop()
    return asyncio.new_event_loop()

async def handoff(n):
    q = asyncio.Queue()
    async def consumer():
        for _ in range(n):
            await q.get()
    t = asyncio.ensure_future(consumer())
    for i in range(n):
        await q.put(i)
        if i % 64 == 0:
            await asyncio.sleep(0)
    await t

async def gather(n):
    async def trivial(i):
        return i
    results = await asyncio.gather(*(trivial(i) for i in range(n)))
    assert len(results) == n

async def lock(n):
    lk = asyncio.Lock()
    tasks_count = 100
    per_task = n // tasks_count
    count = [0]
    async def worker():
        for _ in range(per_task):
            async with lk:
                count[0] += 1
                await asyncio.sleep(0)
    await asyncio.gather(*(worker() for _ in range(tasks_count)))
    assert count[0] == per_task * tasks_count

async def sleepers(n):
    rnd = random.Random(1)
    await asyncio.gather(*(asyncio.sleep(rnd.random()) for _ in range(n)))

if __name__ == "__main__":
    kind, wl, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    loop = make_loop(kind)
    t0 = time.perf_counter()
    loop.run_until_complete(globals()[wl](n))
    dt = time.perf_counter() - t0
    print(f"{kind} {wl} {n/dt:.0f} ops/s")
