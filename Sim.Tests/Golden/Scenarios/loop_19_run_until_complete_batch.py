# run_until_complete stops the loop from the future's done-callback, so the rest of that
# batch still runs (another task's step, a callback scheduled before the task finished);
# a pending background task resumes on the next run.
import asyncio

loop = asyncio.new_event_loop()

async def background():
    for i in range(10):
        print("bg", i)
        await asyncio.sleep(0)

async def main():
    global bg
    bg = loop.create_task(background(), name="bg")
    for i in range(3):
        print("main", i)
        await asyncio.sleep(0)
    loop.call_soon(print, "callback scheduled by main's last step")
    return "main result"

print(loop.run_until_complete(main()))
print("pending:", [t.get_name() for t in asyncio.all_tasks(loop)])
loop.run_until_complete(asyncio.sleep(0))
print("after a sleep(0) run")
bg.cancel()
try:
    loop.run_until_complete(bg)
except asyncio.CancelledError:
    print("bg cancelled:", bg.cancelled())
loop.close()
