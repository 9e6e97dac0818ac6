# Barrier.reset() while tasks wait makes them raise BrokenBarrierError and leaves the barrier
# filling again. Tasks that arrive while the previous group is still leaving (draining) wait for
# the next round instead of joining the one being released.
import asyncio

async def party(barrier, name):
    try:
        index = await barrier.wait()
        print(name, "passed with index", index)
    except asyncio.BrokenBarrierError as e:
        print(name, "got", type(e).__name__)

async def main():
    loop = asyncio.get_running_loop()
    barrier = asyncio.Barrier(2)
    early = loop.create_task(party(barrier, "early"))
    await asyncio.sleep(0)
    print("reset with one waiting")
    await barrier.reset()
    await early
    print("n_waiting:", barrier.n_waiting, "broken:", barrier.broken)
    tasks = [loop.create_task(party(barrier, n)) for n in ["t1", "t2", "t3", "t4", "t5", "t6"]]
    for t in tasks:
        await t
    print("n_waiting at the end:", barrier.n_waiting)

asyncio.run(main())
