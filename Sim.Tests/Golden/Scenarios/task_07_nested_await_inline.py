# `await coro` runs the child inline in the same task: current_task() is the same object in
# parent and child, and the prints interleave as one call stack would.
import asyncio

async def grandchild(parent_task):
    print("  grandchild starts; same task:", asyncio.current_task() is parent_task)
    await asyncio.sleep(0.01)
    print("  grandchild resumes; same task:", asyncio.current_task() is parent_task)
    return 3

async def child(parent_task):
    print(" child starts; same task:", asyncio.current_task() is parent_task)
    value = await grandchild(parent_task)
    print(" child got", value)
    return value * 2

async def parent():
    me = asyncio.current_task()
    print("parent starts in", me.get_name())
    value = await child(me)
    print("parent got", value)
    return value + 1

async def main():
    t = asyncio.get_running_loop().create_task(parent(), name="parent-task")
    print("main awaits parent-task")
    print("result", await t)

asyncio.run(main())
