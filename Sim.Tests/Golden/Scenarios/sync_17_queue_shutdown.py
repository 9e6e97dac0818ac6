# Queue.shutdown() (Python 3.13): puts raise QueueShutDown at once; gets go on draining the
# items left and raise once the queue is empty; blocked getters and putters wake up to raise.
# shutdown(immediate=True) drops the items left, counting each as done, so join() returns and
# gets raise at once. On older Pythons, 3.13's Queue methods are installed first, copied
# verbatim from CPython 3.13's Lib/asyncio/queues.py.
import asyncio
import sys

if sys.version_info < (3, 13):
    from asyncio import QueueEmpty, QueueFull

    class QueueShutDown(Exception):
        """Raised when putting on to or getting from a shut-down Queue."""
        pass

    asyncio.QueueShutDown = QueueShutDown
    _init_311 = asyncio.Queue.__init__

    def __init__(self, maxsize=0):
        _init_311(self, maxsize)
        self._is_shutdown = False

    async def put(self, item):
        while self.full():
            if self._is_shutdown:
                raise QueueShutDown
            putter = self._get_loop().create_future()
            self._putters.append(putter)
            try:
                await putter
            except:
                putter.cancel()  # Just in case putter is not done yet.
                try:
                    # Clean self._putters from canceled putters.
                    self._putters.remove(putter)
                except ValueError:
                    # The putter could be removed from self._putters by a
                    # previous get_nowait call or a shutdown call.
                    pass
                if not self.full() and not putter.cancelled():
                    # We were woken up by get_nowait(), but can't take
                    # the call.  Wake up the next in line.
                    self._wakeup_next(self._putters)
                raise
        return self.put_nowait(item)

    def put_nowait(self, item):
        if self._is_shutdown:
            raise QueueShutDown
        if self.full():
            raise QueueFull
        self._put(item)
        self._unfinished_tasks += 1
        self._finished.clear()
        self._wakeup_next(self._getters)

    async def get(self):
        while self.empty():
            if self._is_shutdown and self.empty():
                raise QueueShutDown
            getter = self._get_loop().create_future()
            self._getters.append(getter)
            try:
                await getter
            except:
                getter.cancel()  # Just in case getter is not done yet.
                try:
                    # Clean self._getters from canceled getters.
                    self._getters.remove(getter)
                except ValueError:
                    # The getter could be removed from self._getters by a
                    # previous put_nowait call, or a shutdown call.
                    pass
                if not self.empty() and not getter.cancelled():
                    # We were woken up by put_nowait(), but can't take
                    # the call.  Wake up the next in line.
                    self._wakeup_next(self._getters)
                raise
        return self.get_nowait()

    def get_nowait(self):
        if self.empty():
            if self._is_shutdown:
                raise QueueShutDown
            raise QueueEmpty
        item = self._get()
        self._wakeup_next(self._putters)
        return item

    def shutdown(self, immediate=False):
        self._is_shutdown = True
        if immediate:
            while not self.empty():
                self._get()
                if self._unfinished_tasks > 0:
                    self._unfinished_tasks -= 1
            # release all blocked threads in `join()`
            if self._unfinished_tasks == 0:
                self._finished.set()
        # All getters need to re-check queue-empty to raise ShutDown
        while self._getters:
            getter = self._getters.popleft()
            if not getter.done():
                getter.set_result(None)
        while self._putters:
            putter = self._putters.popleft()
            if not putter.done():
                putter.set_result(None)

    for _method in (__init__, put, put_nowait, get, get_nowait, shutdown):
        setattr(asyncio.Queue, _method.__name__, _method)


async def getter(q, name):
    try:
        while True:
            print(name, "got", await q.get())
    except asyncio.QueueShutDown as e:
        print(name, "raised", type(e).__name__, "; qsize:", q.qsize())

async def putter(q, name, item):
    try:
        await q.put(item)
        print(name, "put", item)
    except asyncio.QueueShutDown as e:
        print(name, "raised", type(e).__name__)

async def joiner(q, name):
    await q.join()
    print(name, "joined")

async def main():
    loop = asyncio.get_running_loop()
    print("-- shutdown: getters drain, then raise")
    q = asyncio.Queue()
    getters = [loop.create_task(getter(q, n)) for n in ["g1", "g2"]]
    await asyncio.sleep(0)
    q.shutdown()
    for t in getters:
        await t
    q2 = asyncio.Queue(2)
    q2.put_nowait(1)
    q2.put_nowait(2)
    blocked = loop.create_task(putter(q2, "p", 3))
    await asyncio.sleep(0)
    q2.shutdown()
    for attempt in (lambda: q2.put_nowait(4), q2.get_nowait, q2.get_nowait, q2.get_nowait):
        try:
            print("got", attempt())
        except asyncio.QueueShutDown as e:
            print("raised", type(e).__name__)
    await blocked
    await putter(q2, "late", 5)
    q2.task_done()
    q2.task_done()
    await q2.join()
    print("join returns once both items are done")

    print("-- shutdown(immediate=True): items dropped, join released")
    q3 = asyncio.Queue(2)
    q3.put_nowait("a")
    q3.put_nowait("b")
    print("got", q3.get_nowait())
    joiners = [loop.create_task(joiner(q3, "j1"))]
    putters = [loop.create_task(putter(q3, n, n)) for n in ["x", "y"]]
    await asyncio.sleep(0)
    q3.shutdown(immediate=True)
    print("qsize:", q3.qsize(), "empty:", q3.empty())
    for t in putters:
        await t
    print("j1 still waiting (a is not done):", not joiners[0].done())
    q3.task_done()
    await joiners[0]
    await getter(q3, "g3")
    try:
        q3.task_done()
    except ValueError:
        print("task_done after the count reached zero raises")

asyncio.run(main())
