# sleep(0) yields exactly one loop iteration: two tasks doing it in a loop alternate strictly.
import asyncio

async def ticker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
    print(name, "done")

async def main():
    loop = asyncio.get_running_loop()
    a = loop.create_task(ticker("a", 3))
    b = loop.create_task(ticker("b", 5))
    await a
    print("main resumed after a")
    await b

asyncio.run(main())
