# to_thread runs a blocking function away from the loop and returns its result, or raises its
# exception, in the awaiting task; the loop keeps running other tasks meanwhile.
import asyncio

class Boom(Exception):
    pass

def blocking(x):
    return x * x

def broken():
    raise Boom("in the worker")

async def main():
    print("square:", await asyncio.to_thread(blocking, 12))
    try:
        await asyncio.to_thread(broken)
    except Boom as e:
        print("raised", type(e).__name__, e)
    results = await asyncio.gather(*(asyncio.to_thread(blocking, n) for n in range(4)))
    print("gathered:", results)

asyncio.run(main())
