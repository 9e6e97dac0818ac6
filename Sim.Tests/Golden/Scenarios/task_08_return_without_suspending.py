# A coroutine that returns without suspending does not yield to the loop: the awaiting task
# keeps running, and another ready task waits for its next suspension.
import asyncio

async def quick(n):
    return n * 10

async def busy():
    total = 0
    for n in range(3):
        total += await quick(n)
        print("busy added", n)
    print("busy total", total)
    await asyncio.sleep(0)
    print("busy after its first real suspension")

async def other():
    print("other runs")

async def main():
    loop = asyncio.get_running_loop()
    t1 = loop.create_task(busy())
    t2 = loop.create_task(other())
    print("main created both")
    await t1
    await t2
    print("both done")

asyncio.run(main())
