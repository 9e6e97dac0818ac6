# The future state machine: pending -> finished | cancelled, once. (Messages are not compared:
# CPython's C and Python futures word them differently.)
import asyncio

loop = asyncio.new_event_loop()

def attempt(what, action):
    try:
        print(what, "->", action())
    except asyncio.InvalidStateError:
        print(what, "-> InvalidStateError")
    except asyncio.CancelledError:
        print(what, "-> CancelledError")

fut = loop.create_future()
print("pending: done", fut.done(), "cancelled", fut.cancelled())
attempt("result() while pending", fut.result)
attempt("exception() while pending", fut.exception)
fut.set_result(1)
print("finished: done", fut.done(), "cancelled", fut.cancelled())
attempt("result()", fut.result)
attempt("exception()", fut.exception)
attempt("set_result again", lambda: fut.set_result(2))
attempt("set_exception after result", lambda: fut.set_exception(ValueError("x")))
attempt("cancel() when done", fut.cancel)
attempt("result() still", fut.result)

cancelled = loop.create_future()
attempt("cancel() pending", cancelled.cancel)
print("cancelled: done", cancelled.done(), "cancelled", cancelled.cancelled())
attempt("cancel() again", cancelled.cancel)
attempt("result() of cancelled", cancelled.result)
attempt("exception() of cancelled", cancelled.exception)
attempt("set_result on cancelled", lambda: cancelled.set_result(3))
loop.close()
