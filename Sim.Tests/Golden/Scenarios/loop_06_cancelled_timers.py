# A cancelled timer never runs: cancelled before it is due, or after it became ready but
# before its turn in the same batch. TimerHandle.when() is the deadline given.
import asyncio

loop = asyncio.new_event_loop()
t0 = loop.time()
h1 = loop.call_at(t0 + 0.01, print, "h1 runs")
h2 = loop.call_at(t0 + 0.02, print, "h2 must not run")
h3 = loop.call_at(t0 + 0.03, lambda: arm())
print("when h1:", round(h1.when() - t0, 6), "when h3:", round(h3.when() - t0, 6))
h2.cancel()
print("h2 cancelled:", h2.cancelled(), "h1 cancelled:", h1.cancelled())
h2.cancel()
print("h2 cancelled after second cancel:", h2.cancelled())
victim = None
def arm():
    global victim
    print("h3 runs: schedules a due timer, then the callback that cancels it")
    victim = loop.call_later(0, print, "victim must not run")
    loop.call_soon(canceller)
def canceller():
    print("canceller runs first in the batch; the victim is ready behind it")
    victim.cancel()
    print("victim cancelled:", victim.cancelled())
    loop.stop()
loop.run_forever()
print("h1 cancelled:", h1.cancelled())
loop.close()
