namespace Sim.Core;

/// <summary>Whatever a <see cref="Handle"/> points at: a slot of the ready queue, or a
/// callback still crossing from another thread.</summary>
internal interface ICancellable
{
    void Cancel(long sequence);

    bool IsCancelled(long sequence);
}
