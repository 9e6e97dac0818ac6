# A custom exception handler that itself raises: the default handler reports
# "Unhandled error in exception handler" (its first log line is printed here) and the loop
# carries on.
import asyncio
import logging

class Boom(Exception):
    pass

class HandlerFailed(Exception):
    pass

class FirstLine(logging.Handler):
    def emit(self, record):
        print("default handler logged:", record.getMessage().splitlines()[0])

logging.getLogger("asyncio").addHandler(FirstLine())
logging.getLogger("asyncio").propagate = False

loop = asyncio.new_event_loop()
def handler(loop_, context):
    print("custom handler got:", type(context["exception"]).__name__)
    raise HandlerFailed("handler broke")
loop.set_exception_handler(handler)
def bad():
    raise Boom("callback broke")
loop.call_soon(bad)
loop.call_soon(print, "loop carries on")
loop.call_soon(loop.stop)
loop.run_forever()
print("done")
loop.close()
