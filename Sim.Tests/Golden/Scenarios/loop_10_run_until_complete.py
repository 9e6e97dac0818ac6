# run_until_complete returns the coroutine's result, raises its exception, and accepts a
# future that is already done (the callbacks already ready still run first).
import asyncio

class Boom(Exception):
    pass

async def answer():
    await asyncio.sleep(0.01)
    return 42

async def explode():
    await asyncio.sleep(0)
    raise Boom("kaboom")

loop = asyncio.new_event_loop()
print("result:", loop.run_until_complete(answer()))
try:
    loop.run_until_complete(explode())
except Boom as e:
    print("raised:", type(e).__name__, e)
done = loop.create_future()
done.set_result("early")
loop.call_soon(print, "callback ready before the run")
print("already done:", loop.run_until_complete(done))
failed = loop.create_future()
failed.set_exception(Boom("stored"))
try:
    loop.run_until_complete(failed)
except Boom as e:
    print("already failed:", type(e).__name__, e)
print("running after:", loop.is_running())
loop.close()
