namespace Sim.Tests.Golden;

/// <summary>Marks the C# twin of the CPython scenario <c>Scenarios/{Name}.py</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class GoldenAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
