# remove_done_callback removes every registration of the callback and returns the count.
import asyncio

loop = asyncio.new_event_loop()
fut = loop.create_future()
def a(f):
    print("a runs")
def b(f):
    print("b runs")
def never(f):
    print("never runs")
fut.add_done_callback(a)
fut.add_done_callback(b)
fut.add_done_callback(a)
fut.add_done_callback(b)
print("removed a:", fut.remove_done_callback(a))
print("removed a again:", fut.remove_done_callback(a))
print("removed unknown:", fut.remove_done_callback(never))
fut.set_result(None)
print("removed b after completion:", fut.remove_done_callback(b))
loop.call_soon(loop.stop)
loop.run_forever()
print("done")
loop.close()
