# Several tasks awaiting one future resume in the order they started waiting, one step each,
# after the code that completed the future has finished.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    async def waiter(name):
        print(name, "waits")
        value = await fut
        print(name, "got", value)
    tasks = [loop.create_task(waiter(n)) for n in ["w1", "w2", "w3"]]
    await asyncio.sleep(0)
    fut.set_result("go")
    print("main set the result")
    await asyncio.sleep(0)
    print("main after one iteration:", [t.done() for t in tasks])

asyncio.run(main())
