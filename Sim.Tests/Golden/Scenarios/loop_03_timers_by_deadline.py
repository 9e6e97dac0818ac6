# Timers run in deadline order, whatever the order they were scheduled in.
import asyncio

loop = asyncio.new_event_loop()
order = []
def fire(name):
    print("timer", name)
    order.append(name)
    if len(order) == 4:
        loop.stop()
loop.call_later(0.04, fire, "40ms")
loop.call_later(0.01, fire, "10ms")
loop.call_later(0.03, fire, "30ms")
loop.call_later(0.02, fire, "20ms")
loop.run_forever()
print("order", order)
loop.close()
