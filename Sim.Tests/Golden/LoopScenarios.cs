using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the loop scenarios (Scenarios/loop_*.py).</summary>
internal static class LoopScenarios
{
    [Golden("loop_01_call_soon_fifo")]
    public static void CallSoonFifo(GoldenContext g)
    {
        var loop = g.Loop;
        void Cb(string name)
        {
            g.Print("run", name);
            if (name == "a")
                loop.CallSoon(Cb, "d");
        }
        foreach (var name in new[] { "a", "b", "c" })
            loop.CallSoon(Cb, name);
        loop.CallSoon(() =>
        {
            g.Print("stop requested");
            loop.Stop();
        });
        loop.RunForever();
        g.Print("after first run_forever");
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        g.Print("after second run_forever");
        loop.Close();
    }
}
