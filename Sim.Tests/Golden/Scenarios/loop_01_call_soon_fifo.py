# CallSoon is FIFO, and a callback scheduled by a callback runs in the next iteration.
import asyncio

loop = asyncio.new_event_loop()
def cb(name):
    print("run", name)
    if name == "a":
        loop.call_soon(cb, "d")
for name in ["a", "b", "c"]:
    loop.call_soon(cb, name)
loop.call_soon(lambda: print("stop requested") or loop.stop())
loop.run_forever()
print("after first run_forever")
loop.call_soon(loop.stop)
loop.run_forever()
print("after second run_forever")
loop.close()
