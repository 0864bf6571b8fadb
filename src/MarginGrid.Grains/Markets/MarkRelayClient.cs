using MarginGrid.Abstractions.Markets;
using Orleans.Runtime.Services;

namespace MarginGrid.Grains.Markets;

/// <summary>Addresses the mark relay of one given silo.</summary>
public sealed class MarkRelayClient(IServiceProvider services) : GrainServiceClient<IMarkRelay>(services)
{
    public IMarkRelay On(SiloAddress silo) => GetGrainService(silo);
}
