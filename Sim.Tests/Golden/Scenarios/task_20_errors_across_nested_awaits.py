# Exceptions cross nested coroutine awaits after suspensions: a child raising after it
# resumed is caught by its parent, which then suspends again in the same task.
import asyncio

class Boom(Exception):
    pass

async def leaf(n):
    await asyncio.sleep(0.01)
    if n % 2:
        raise Boom(f"leaf {n}")
    return n

async def middle(n):
    try:
        return await leaf(n) * 10
    except Boom as e:
        print("middle caught", e)
        await asyncio.sleep(0)
        print("middle resumed after catching")
        return -1

async def top():
    results = []
    for n in range(4):
        results.append(await middle(n))
        print("top has", results)
    try:
        await leaf(5)
    except Boom as e:
        print("top caught", e)
    raise Boom("top gives up")

async def main():
    t = asyncio.get_running_loop().create_task(top())
    try:
        await t
    except Boom as e:
        print("main caught", e, "task exception:", type(t.exception()).__name__)

asyncio.run(main())
