using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// A callback and its state, stored without a closure: <see cref="Invoker"/> is null for a
/// plain <see cref="Action"/>, otherwise a cached static thunk that casts the state back.
/// </summary>
internal readonly struct Callback
{
    public readonly Delegate Target;
    public readonly object? State;
    public readonly Action<Delegate, object?>? Invoker;

    private Callback(Delegate target, object? state, Action<Delegate, object?>? invoker)
    {
        Target = target;
        State = state;
        Invoker = invoker;
    }

    public static Callback Of(Action action) => new(action, null, null);

    public static Callback Of<TState>(Action<TState> action, TState state) =>
        new(action, state, Thunk<TState>.Invoke);

    public void Invoke()
    {
        if (Invoker is null)
            Unsafe.As<Action>(Target)();
        else
            Invoker(Target, State);
    }

    /// <summary>What the callback does, for logs and traces: a task's step names the task,
    /// a method its declaring type and name (a lambda, the method it was written in).</summary>
    public override string ToString()
    {
        if (State is ILoopTask task)
            return $"step {task.Name}";
        var method = Target.Method;
        var name = method.Name;
        var close = name.IndexOf('>', StringComparison.Ordinal);
        if (name.StartsWith('<') && close > 1)
            name = name[1..close] + ".<lambda>";
        var type = method.DeclaringType;
        while (type is not null && type.Name.StartsWith('<'))
            type = type.DeclaringType;
        return type is null ? name : $"{type.Name.Split('`')[0]}.{name}";
    }

    private static class Thunk<TState>
    {
        public static readonly Action<Delegate, object?> Invoke =
            static (target, state) => Unsafe.As<Action<TState>>(target)((TState)state!);
    }
}
