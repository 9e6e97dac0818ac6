using System.Globalization;
using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// FoundationDB's BUGGIFY for user code: a place in a program where it may misbehave on purpose
/// (answer late, split a write, drop a cache, take the slow path) so that simulations reach the
/// rare paths a real system only meets under load. In a simulation each site is switched on for
/// the whole run or not at all (seeded, by default one site in four), and a site switched on
/// fires with the probability it gives, each decision drawn from the seed and recorded. On a loop
/// without a fault injector (<see cref="EventLoopOptions.Faults"/>; a production loop has none
/// unless given one), or outside any running loop, it is always false.
/// </summary>
/// <example>
/// <code>
/// if (Buggify.On())
///     await Asyncio.Sleep(0.5);   // a slow disk, now and then, in simulation only
/// </code>
/// </example>
public static class Buggify
{
    /// <summary>The chance a site switched on fires at each evaluation: 5%, as FoundationDB's.</summary>
    public const double DefaultProbability = 0.05;

    /// <summary>True when this site should misbehave now (see the class remarks).</summary>
    /// <param name="probability">The chance, in [0, 1], that the site fires when it is switched on.</param>
    /// <param name="file">Filled in by the compiler: the site's file (only its name is used).</param>
    /// <param name="line">Filled in by the compiler: the site's line.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is not in [0, 1].</exception>
    public static bool On(double probability = DefaultProbability, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (double.IsNaN(probability) || probability < 0 || probability > 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability lies in [0, 1].");
        if (EventLoop.RunningLoopOnThisThread?.Faults is not { } faults)
            return false;
        // The file's name, not its path: the same program gives the same sites on every machine.
        return faults.Buggify(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)}:{line}"), probability);
    }
}
