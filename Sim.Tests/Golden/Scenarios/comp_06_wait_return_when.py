# wait() returns (done, pending) and neither raises nor cancels: FIRST_COMPLETED returns at the
# first completion, FIRST_EXCEPTION at the first failure (or when all are done), ALL_COMPLETED
# when all are done. Failures stay inside the done futures.
import asyncio

class Boom(Exception):
    pass

async def ok(name, delay):
    await asyncio.sleep(delay)
    return name

async def fail(name, delay):
    await asyncio.sleep(delay)
    raise Boom(name)

def names(futures):
    return sorted(f.get_name() for f in futures)

async def main():
    loop = asyncio.get_running_loop()
    tasks = [loop.create_task(ok("a", 0.3), name="a"), loop.create_task(ok("b", 0.1), name="b"),
             loop.create_task(fail("c", 0.2), name="c"), loop.create_task(ok("d", 0.4), name="d")]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("first completed:", names(done), "pending:", names(pending))
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print("first exception:", names(done), "pending:", names(pending))
    failed = [t for t in done if t.exception() is not None]
    print("failed:", names(failed), type(failed[0].exception()).__name__)
    done, pending = await asyncio.wait(tasks)
    print("all completed:", names(done), "pending:", names(pending))

    quiet = [loop.create_task(ok("e", 0.1), name="e"), loop.create_task(ok("f", 0.2), name="f")]
    done, pending = await asyncio.wait(quiet, return_when=asyncio.FIRST_EXCEPTION)
    print("first exception without failures:", names(done), "pending:", names(pending))
    done, pending = await asyncio.wait(quiet, return_when=asyncio.FIRST_COMPLETED)
    print("already done:", names(done), "pending:", names(pending))

asyncio.run(main())
