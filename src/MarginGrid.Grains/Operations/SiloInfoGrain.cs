using MarginGrid.Abstractions.Operations;
using MarginGrid.Grains.Infrastructure;
using Orleans.Concurrency;

namespace MarginGrid.Grains.Operations;

/// <summary>Answers on the silo that received the call (a client's gateway): local, stateless, never placed elsewhere.</summary>
[StatelessWorker]
public sealed class SiloInfoGrain(ILocalSiloDetails silo) : Grain, ISiloInfoGrain
{
    public Task<SiloInfo> Describe() => Task.FromResult(new SiloInfo(
        silo.SiloAddress.Endpoint.ToString(), silo.GatewayAddress?.Endpoint.ToString(),
        GridBuild.Version, GridBuild.Build, GridBuild.OrleansVersion, GridBuild.StartedAt));
}
