# shutdown_default_executor waits for the jobs already submitted; afterwards
# run_in_executor raises RuntimeError.
import asyncio

def square(n):
    return n * n

async def main():
    loop = asyncio.get_running_loop()
    jobs = [loop.run_in_executor(None, square, n) for n in range(3)]
    print("jobs done before shutdown:", [j.done() for j in jobs])
    await loop.shutdown_default_executor()
    print("jobs done after shutdown:", [j.done() for j in jobs])
    print("results:", [j.result() for j in jobs])
    try:
        loop.run_in_executor(None, square, 5)
        print("run_in_executor after shutdown: no error")
    except RuntimeError as e:
        print("run_in_executor after shutdown:", type(e).__name__, e)

asyncio.run(main())
