# close(): refused while running, idempotent, drops pending callbacks; a closed loop
# refuses to run or schedule.
import asyncio

loop = asyncio.new_event_loop()
def try_close():
    try:
        loop.close()
        print("close while running: no error")
    except RuntimeError as e:
        print("close while running:", type(e).__name__, e)
    loop.stop()
loop.call_soon(try_close)
loop.run_forever()
print("closed after refused close:", loop.is_closed())
loop.call_soon(print, "dropped callback must not run")
loop.call_later(0, print, "dropped timer must not run")
loop.close()
print("closed:", loop.is_closed())
loop.close()
print("second close is fine, closed:", loop.is_closed())
async def never():
    print("never runs")
coro = never()
for what, action in [("run_forever", loop.run_forever),
                     ("run_until_complete", lambda: loop.run_until_complete(coro)),
                     ("create_task", lambda: loop.create_task(coro)),
                     ("call_soon", lambda: loop.call_soon(print, "x")),
                     ("call_later", lambda: loop.call_later(1, print, "x"))]:
    try:
        action()
        print(what, "on closed loop: no error")
    except RuntimeError as e:
        print(what, "on closed loop:", type(e).__name__, e)
coro.close()
