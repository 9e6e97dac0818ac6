# A child cancelled on its own makes gather raise CancelledError (it is treated as the child's
# failure) but gather is not cancelled and the other children keep running.
import asyncio

async def child(name, delay):
    await asyncio.sleep(delay)
    print("child", name, "finished")
    return name

async def main():
    loop = asyncio.get_running_loop()
    a = loop.create_task(child("a", 0.2))
    b = loop.create_task(child("b", 1))
    g = asyncio.gather(a, b)
    await asyncio.sleep(0.1)
    b.cancel("only b")
    try:
        await g
    except asyncio.CancelledError as e:
        print("gather raised CancelledError:", e.args)
    print("gather cancelled:", g.cancelled(), "a done:", a.done())
    print("a:", await a)

asyncio.run(main())
