# stop() before run_forever() runs exactly one iteration, without waiting: what was ready
# runs, what it schedules waits for the next run, a timer not yet due does not run.
import asyncio

loop = asyncio.new_event_loop()
def cb(name):
    print("run", name)
    loop.call_soon(print, "child of " + name)
loop.call_later(0.01, print, "timer at t+10ms")
loop.call_soon(cb, "a")
loop.call_soon(cb, "b")
loop.stop()
loop.run_forever()
print("after first run_forever, running:", loop.is_running())
loop.stop()
loop.run_forever()
print("after second run_forever")
loop.stop()
loop.run_forever()
print("after an empty iteration")
loop.run_until_complete(asyncio.sleep(0.02))
print("after sleeping past the timer")
loop.close()
