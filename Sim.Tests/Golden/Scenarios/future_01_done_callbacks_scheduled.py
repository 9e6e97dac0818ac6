# Done-callbacks never run inline: set_result schedules them with call_soon, in the order
# they were added; one added to a finished future is scheduled at once, still via call_soon.
import asyncio

loop = asyncio.new_event_loop()
fut = loop.create_future()
fut.add_done_callback(lambda f: print("cb1 sees result", f.result()))
fut.add_done_callback(lambda f: print("cb2 sees done", f.done()))
loop.call_soon(print, "callback scheduled before set_result")
fut.set_result("value")
print("set_result returned; callbacks not run yet")
fut.add_done_callback(lambda f: print("cb3 added after completion"))
print("cb3 added; not run yet")
loop.call_soon(print, "callback scheduled after cb3")
loop.call_soon(loop.stop)
loop.run_forever()
print("done")
loop.close()
