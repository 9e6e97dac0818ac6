# A call_soon handle cancelled while queued never runs; cancelled() reads True then.
import asyncio

loop = asyncio.new_event_loop()
h1 = loop.call_soon(print, "h1 runs")
h2 = loop.call_soon(print, "h2 must not run")
h3 = loop.call_soon(print, "h3 runs")
h2.cancel()
print("h1 cancelled:", h1.cancelled(), "h2 cancelled:", h2.cancelled())
def cancel_later_one():
    print("cancelling the next callback in this batch")
    h5.cancel()
    print("h5 cancelled:", h5.cancelled())
loop.call_soon(cancel_later_one)
h5 = loop.call_soon(print, "h5 must not run")
loop.call_soon(print, "h6 runs")
loop.call_soon(loop.stop)
loop.run_forever()
print("done")
loop.close()
