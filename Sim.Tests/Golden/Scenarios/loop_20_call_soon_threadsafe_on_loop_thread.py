# On the loop's own thread, call_soon_threadsafe joins the same FIFO as call_soon: callbacks
# run in the order they were scheduled, in the next iteration.
import asyncio

loop = asyncio.new_event_loop()
def schedule():
    print("scheduling from a callback")
    loop.call_soon(print, "A call_soon")
    loop.call_soon_threadsafe(print, "B call_soon_threadsafe")
    loop.call_soon(print, "C call_soon")
    h = loop.call_soon_threadsafe(print, "D cancelled threadsafe")
    loop.call_soon_threadsafe(print, "E call_soon_threadsafe")
    h.cancel()
    loop.call_soon(loop.stop)
loop.call_soon(schedule)
loop.run_forever()
print("done")
loop.close()
