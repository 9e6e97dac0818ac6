# Timers due at the same instant run in the order they were scheduled (three of them, alone
# in the heap: CPython's heap only keeps that order for so few; SimLoop keeps it always).
import asyncio

loop = asyncio.new_event_loop()
when = loop.time() + 0.02
fired = []
def fire(name):
    print(name, "at t+20ms")
    fired.append(name)
    if len(fired) == 3:
        loop.stop()
loop.call_at(when, fire, "first")
loop.call_at(when, fire, "second")
loop.call_at(when, fire, "third")
loop.run_forever()
print("fired", fired)
loop.close()
