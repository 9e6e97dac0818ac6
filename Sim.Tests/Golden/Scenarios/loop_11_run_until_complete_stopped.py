# stop() inside run_until_complete ends the run before the future completes: RuntimeError;
# the task is still pending and a later run_until_complete finishes it. A stop() before
# run_until_complete allows one iteration only.
import asyncio

async def slow():
    print("slow starts")
    await asyncio.sleep(0.01)
    print("slow resumes")
    await asyncio.sleep(0.01)
    print("slow ends")
    return "finished"

loop = asyncio.new_event_loop()
task = loop.create_task(slow())
loop.call_later(0.015, loop.stop)
try:
    loop.run_until_complete(task)
except RuntimeError as e:
    print("RuntimeError:", e)
print("task done:", task.done())
loop.stop()
try:
    loop.run_until_complete(task)
except RuntimeError as e:
    print("stopped before the run:", e)
print("task done:", task.done())
print("third run:", loop.run_until_complete(task))
loop.close()
