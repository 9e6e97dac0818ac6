# A running loop refuses to be run again from inside: run_forever and run_until_complete
# raise RuntimeError; the outer run carries on.
import asyncio

loop = asyncio.new_event_loop()
def nested():
    for what, action in [("run_forever", loop.run_forever),
                         ("run_until_complete", lambda: loop.run_until_complete(fut))]:
        try:
            action()
            print(what, "inside a callback: no error")
        except RuntimeError as e:
            print(what, "inside a callback:", type(e).__name__, e)
    fut.set_result("outer run finished")
fut = loop.create_future()
loop.call_soon(nested)
print(loop.run_until_complete(fut))
print("running:", loop.is_running())
loop.close()
