# run_in_executor returns the function's result, or raises its exception, to the awaiter.
import asyncio

class Boom(Exception):
    pass

def square(n):
    return n * n

def fail(text):
    raise Boom(text)

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, square, 7)
    print("future done at once:", fut.done())
    print("square:", await fut)
    results = []
    for n in range(1, 4):
        results.append(await loop.run_in_executor(None, square, n))
    print("squares:", results)
    try:
        await loop.run_in_executor(None, fail, "in executor")
    except Boom as e:
        print("raised:", type(e).__name__, e)
    failed = loop.run_in_executor(None, fail, "kept")
    try:
        await failed
    except Boom:
        pass
    print("failed future exception:", type(failed.exception()).__name__, failed.exception())

asyncio.run(main())
