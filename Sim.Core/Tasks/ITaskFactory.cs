namespace Sim.Core;

/// <summary>Creates the loop's tasks (asyncio's task factory).</summary>
public interface ITaskFactory
{
    /// <summary>Returns a new task running <paramref name="coroutine"/> on <paramref name="loop"/>.</summary>
    LoopTask<T> CreateTask<T>(EventLoop loop, Coroutine<T> coroutine, string? name);
}
