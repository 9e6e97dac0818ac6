# A callback that raises (scheduled with call_soon, call_later, or a future's done-callback)
# goes to the exception handler with a context (message, exception, handle); the loop carries
# on with the next callback.
import asyncio

class Boom(Exception):
    pass

loop = asyncio.new_event_loop()
print("default handler:", loop.get_exception_handler())
def handler(loop_, context):
    print("handler: message starts with 'Exception in callback':",
          context["message"].startswith("Exception in callback"))
    print("handler: exception", type(context["exception"]).__name__, context["exception"])
    print("handler: handle set:", "handle" in context,
          "future set:", "future" in context, "task set:", "task" in context)
loop.set_exception_handler(handler)
print("custom handler set:", loop.get_exception_handler() is handler)
def bad(what):
    raise Boom(what)
loop.call_soon(bad, "from call_soon")
loop.call_soon(print, "next callback runs")
loop.call_later(0.01, bad, "from call_later")
fut = loop.create_future()
fut.add_done_callback(lambda f: bad("from a done-callback"))
fut.set_result(None)
loop.call_later(0.02, loop.stop)
loop.run_forever()
print("loop carried on")
loop.set_exception_handler(None)
print("restored default:", loop.get_exception_handler())
loop.close()
