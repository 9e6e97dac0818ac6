# stop() during a run finishes the current batch: callbacks already ready still run; what
# they schedule waits for the next run.
import asyncio

loop = asyncio.new_event_loop()
def stopper():
    print("stopper calls stop, running:", loop.is_running())
    loop.stop()
    loop.call_soon(print, "scheduled by stopper")
def later(name):
    print("ready before stop:", name)
    loop.call_soon(print, "scheduled by " + name)
loop.call_soon(print, "first")
loop.call_soon(stopper)
loop.call_soon(later, "x")
loop.call_soon(later, "y")
loop.run_forever()
print("stopped, running:", loop.is_running())
loop.call_soon(loop.stop)
loop.run_forever()
print("second run over")
loop.close()
