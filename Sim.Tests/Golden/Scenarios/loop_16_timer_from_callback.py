# Timers scheduled by callbacks: a timer made from a timer callback runs later, ordered by
# deadline against the timers already waiting; call_at in the past runs in the next iteration.
import asyncio

loop = asyncio.new_event_loop()
t0 = loop.time()
def first():
    print("first (t+10ms) schedules a +5ms timer and a past call_at")
    loop.call_later(0.005, print, "nested timer (t+15ms)")
    loop.call_at(t0, print, "call_at in the past")
    loop.call_soon(print, "call_soon from first")
loop.call_at(t0 + 0.01, first)
loop.call_at(t0 + 0.02, print, "second (t+20ms)")
loop.call_at(t0 + 0.03, loop.stop)
loop.run_forever()
print("done")
loop.close()
