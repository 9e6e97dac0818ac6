# A task cancelled in Condition.wait() raises CancelledError only once it holds the lock again,
# and hands a notification on to the next waiter (CPython 3.13's rule: a notification is never
# lost; the woken task may find nothing to do). On older Pythons, 3.13's Condition.wait is
# installed first, copied verbatim from CPython 3.13's Lib/asyncio/locks.py.
import asyncio
import sys

if sys.version_info < (3, 13):
    from asyncio import exceptions

    async def wait(self):
        if not self.locked():
            raise RuntimeError('cannot wait on un-acquired lock')

        fut = self._get_loop().create_future()
        self.release()
        try:
            try:
                self._waiters.append(fut)
                try:
                    await fut
                    return True
                finally:
                    self._waiters.remove(fut)

            finally:
                # Must re-acquire lock even if wait is cancelled.
                # We only catch CancelledError here, since we don't want any
                # other (fatal) errors with the future to cause us to spin.
                err = None
                while True:
                    try:
                        await self.acquire()
                        break
                    except exceptions.CancelledError as e:
                        err = e

                if err is not None:
                    try:
                        raise err  # Re-raise most recent exception instance.
                    finally:
                        err = None  # Break reference cycles.
        except BaseException:
            # Any error raised out of here _may_ have occurred after this Task
            # believed to have been successfully notified.
            # Make sure to notify another Task instead.  This may result
            # in a "spurious wakeup", which is allowed as part of the
            # Condition Variable protocol.
            self._notify(1)
            raise

    def notify(self, n=1):
        if not self.locked():
            raise RuntimeError('cannot notify on un-acquired lock')
        self._notify(n)

    def _notify(self, n):
        idx = 0
        for fut in self._waiters:
            if idx >= n:
                break

            if not fut.done():
                idx += 1
                fut.set_result(False)

    asyncio.Condition.wait = wait
    asyncio.Condition.notify = notify
    asyncio.Condition._notify = _notify


async def waiter(cond, name):
    async with cond:
        try:
            await cond.wait()
        except asyncio.CancelledError as e:
            print(name, "cancelled; holds the lock:", cond.locked(), "message:", e.args[0] if e.args else None)
            raise
        print(name, "notified")

async def main():
    loop = asyncio.get_running_loop()
    cond = asyncio.Condition()
    tasks = {n: loop.create_task(waiter(cond, n)) for n in ["w1", "w2", "w3", "w4"]}
    await asyncio.sleep(0)
    async with cond:
        print("cancel w1 while main holds the lock")
        tasks["w1"].cancel("stop w1")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        print("w1 done yet:", tasks["w1"].done())
    await asyncio.sleep(0)
    print("w1 done after main released:", tasks["w1"].done())
    async with cond:
        print("notify(1), then cancel the notified task")
        cond.notify(1)
        tasks["w3"].cancel("stop w3")
    for name, t in tasks.items():
        try:
            await t
            print(name, "finished")
        except asyncio.CancelledError:
            print(name, "was cancelled")

asyncio.run(main())
