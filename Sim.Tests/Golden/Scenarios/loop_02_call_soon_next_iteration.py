# A callback scheduled by a running callback never runs re-entrantly: it waits behind the
# callbacks already ready, and (being scheduled during phase 5) for the next iteration:
# a stop() in the same batch ends the run before it.
import asyncio

loop = asyncio.new_event_loop()
def cb(name):
    print("start", name)
    if name == "a":
        loop.call_soon(cb, "a-child")
        print("a scheduled a-child")
    print("end", name)
loop.call_soon(cb, "a")
loop.call_soon(cb, "b")
loop.call_soon(lambda: print("stop") or loop.stop())
loop.call_soon(cb, "c")
loop.run_forever()
print("first run over")
loop.call_soon(lambda: print("stop again") or loop.stop())
loop.run_forever()
print("second run over")
loop.close()
