# A Barrier(3) holds tasks until three wait, then releases them together; wait() returns each
# task's arrival index. The barrier is reused for a second round; n_waiting counts the tasks
# waiting to fill it. Barrier(0) raises ValueError.
import asyncio

async def party(barrier, name, delay):
    for round_ in (1, 2):
        await asyncio.sleep(delay)
        print(name, "arrives in round", round_, "; waiting before:", barrier.n_waiting)
        index = await barrier.wait()
        print(name, "passes round", round_, "with index", index)

async def main():
    loop = asyncio.get_running_loop()
    try:
        asyncio.Barrier(0)
    except ValueError as e:
        print("Barrier(0):", type(e).__name__)
    barrier = asyncio.Barrier(3)
    print("parties:", barrier.parties, "n_waiting:", barrier.n_waiting, "broken:", barrier.broken)
    tasks = [loop.create_task(party(barrier, n, d)) for n, d in [("a", 0.3), ("b", 0.1), ("c", 0.2)]]
    for t in tasks:
        await t
    print("n_waiting at the end:", barrier.n_waiting, "broken:", barrier.broken)
    single = asyncio.Barrier(1)
    print("Barrier(1) never blocks:", await single.wait(), await single.wait())

asyncio.run(main())
