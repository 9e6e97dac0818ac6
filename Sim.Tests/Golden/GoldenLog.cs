namespace Sim.Tests.Golden;

/// <summary>The loop's log in a golden run: each entry goes to <see cref="OnEntry"/>, if set.</summary>
internal sealed class GoldenLog : TextWriter
{
    public Action<string>? OnEntry { get; set; }

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public override void WriteLine(string? value) => OnEntry?.Invoke(value ?? "");
}
