# A task factory creates every task of the loop (run_until_complete's too); the name given to
# create_task is applied to the task it returns; set_task_factory(None) restores the default.
import asyncio

created = []

def factory(loop, coro):
    created.append(coro)
    print("factory creates task", len(created))
    return asyncio.Task(coro, loop=loop)

async def child():
    await asyncio.sleep(0)
    return asyncio.current_task().get_name()

async def main():
    loop = asyncio.get_running_loop()
    print("main is", asyncio.current_task().get_name())
    named = loop.create_task(child(), name="child")
    unnamed = loop.create_task(child())
    print("names:", await named, await unnamed)
    loop.set_task_factory(None)
    print("factory after reset:", loop.get_task_factory())
    print("default factory task:", await loop.create_task(child()))
    print("factory calls:", len(created))

loop = asyncio.new_event_loop()
print("default factory:", loop.get_task_factory())
loop.set_task_factory(factory)
print("factory set:", loop.get_task_factory() is factory)
loop.run_until_complete(main())
loop.close()
