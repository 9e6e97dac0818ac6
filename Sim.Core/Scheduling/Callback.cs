using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// A callback and its state, packed without a closure into two references and a kind, so the
/// ready queue can hold it in a struct and scheduling allocates nothing.
/// </summary>
internal readonly struct Callback
{
    public readonly object Target;
    public readonly object? State;
    public readonly CallbackKind Kind;

    /// <summary>For a timer's callback, the timer's id in its <see cref="TimerQueue"/> (positive in
    /// the heap, negative when overdue); 0 otherwise.</summary>
    public readonly int TimerId;

    private Callback(object target, object? state, CallbackKind kind, int timerId = 0)
    {
        Target = target;
        State = state;
        Kind = kind;
        TimerId = timerId;
    }

    public Callback ForTimer(int timerId) => new(Target, State, Kind, timerId);

    public bool IsEmpty => Target is null;

    public static Callback Of(Action action) => new(action, null, CallbackKind.Action);

    public static Callback Of<TState>(Action<TState> action, TState state) =>
        typeof(TState).IsValueType
            ? new(new StateBox<TState>(action, state), null, CallbackKind.Boxed)
            : new(action, state, CallbackKind.ActionOfReference);

    public void Invoke()
    {
        switch (Kind)
        {
            case CallbackKind.Action:
                Unsafe.As<Action>(Target)();
                break;
            case CallbackKind.ActionOfReference:
                // An Action<TState> for a reference type TState is invoked as an Action<object>:
                // generic code over reference types is shared, so the call is the same.
                Unsafe.As<Action<object?>>(Target)(State);
                break;
            default:
                Unsafe.As<StateBox>(Target).Invoke();
                break;
        }
    }

    /// <summary>The delegate the user gave, for comparisons and names.</summary>
    public Delegate? Delegate => Kind == CallbackKind.Boxed ? Unsafe.As<StateBox>(Target).Delegate : Target as Delegate;

    /// <summary>What the callback does, for logs and traces: a task's step names the task,
    /// a method its declaring type and name (a lambda, the method it was written in).</summary>
    public override string ToString()
    {
        if (State is ILoopTask task)
            return $"step {task.Name}";
        if (Delegate is not { } callback)
            return "cancelled";
        return s_names.GetValue(callback.Method, static method => NameOf(method));
    }

    // Names by method, made once: traces name every callback they see.
    private static readonly ConditionalWeakTable<System.Reflection.MethodInfo, string> s_names = new();

    private static string NameOf(System.Reflection.MethodInfo method)
    {
        var name = method.Name;
        var close = name.IndexOf('>', StringComparison.Ordinal);
        if (name.StartsWith('<') && close > 1)
            name = name[1..close] + ".<lambda>";
        var type = method.DeclaringType;
        while (type is not null && type.Name.StartsWith('<'))
            type = type.DeclaringType;
        return type is null ? name : $"{type.Name.Split('`')[0]}.{name}";
    }

    private abstract class StateBox
    {
        public abstract Delegate Delegate { get; }

        public abstract void Invoke();
    }

    /// <summary>A value-type state needs a box of its own (the one case that allocates).</summary>
    private sealed class StateBox<TState>(Action<TState> action, TState state) : StateBox
    {
        public override Delegate Delegate => action;

        public override void Invoke() => action(state);
    }
}

internal enum CallbackKind : byte
{
    Action,
    ActionOfReference,
    Boxed,
}
