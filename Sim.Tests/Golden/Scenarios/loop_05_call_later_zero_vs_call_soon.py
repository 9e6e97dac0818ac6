# A call_later(0) timer becomes ready in phase 4, after the callbacks already ready,
# even when it was scheduled first; a call_soon from a callback waits for the next iteration.
import asyncio

loop = asyncio.new_event_loop()
def soon(name):
    print("soon", name)
    if name == "s1":
        loop.call_soon(soon, "s3 (from s1)")
        loop.call_later(0, timer, "t2 (from s1)")
loop.call_later(0, lambda: timer("t1"))
def timer(name):
    print("timer", name)
loop.call_soon(soon, "s1")
loop.call_soon(soon, "s2")
loop.call_later(0.01, loop.stop)
loop.run_forever()
print("done")
loop.close()
