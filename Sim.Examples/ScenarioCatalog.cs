using Sim.Examples.Chat;
using Sim.Examples.Echo;
using Sim.Examples.KeyValue;
using Sim.Examples.ProducerConsumer;
using Sim.Examples.UdpEcho;

namespace Sim.Examples;

/// <summary>Every scenario the runner knows, by name.</summary>
public static class ScenarioCatalog
{
    /// <summary>The scenarios, the default first.</summary>
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new ProducerConsumerScenario(),
        new ChatScenario(),
        new KeyValueScenario(),
        new KeyValueScenario(linkFaults: true),
        new EchoScenario(),
        new UdpEchoScenario(),
    ];

    /// <summary>The scenario called <paramref name="name"/>, or null.</summary>
    public static IScenario? Find(string name) =>
        All.FirstOrDefault(scenario => string.Equals(scenario.Name, name, StringComparison.OrdinalIgnoreCase));
}
