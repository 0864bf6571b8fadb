using MarginGrid.Abstractions.Common;
using MarginGrid.Grains;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// Two silos in one process sharing one event log and one state store, so that what a silo wrote
/// outlives that silo being killed (as a database would in a real deployment).
/// </summary>
public sealed class TwoSiloCluster : IAsyncDisposable
{
    private TwoSiloCluster(InProcessTestCluster cluster, InMemoryEventLog log)
    {
        Cluster = cluster;
        Log = log;
    }

    public InProcessTestCluster Cluster { get; }

    /// <summary>The event log both silos share.</summary>
    public InMemoryEventLog Log { get; }

    public IClusterClient Client => Cluster.Client;

    /// <param name="grid">Grid settings for both silos, on top of the defaults.</param>
    /// <param name="archive">The liquidation archive both silos share (default: a new in-memory one).</param>
    /// <param name="calls">An outgoing call filter on both silos, to fail chosen calls.</param>
    /// <param name="ids">The id block source both silos share (default: each silo's own in-memory one).</param>
    public static async Task<TwoSiloCluster> Start(
        Action<GridOptions>? grid = null, ILiquidationArchive? archive = null, IOutgoingGrainCallFilter? calls = null, IIdBlockSource? ids = null)
    {
        var log = new InMemoryEventLog();
        var store = new InProcessStateStore();
        archive ??= new InMemoryLiquidationArchive();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<IEventLog>(log);
            silo.Services.AddSingleton(store);
            silo.Services.AddSingleton<ILiquidationArchive>(archive);
            if (ids is not null)
            {
                silo.Services.AddSingleton(ids);
            }

            silo.AddMarginGrid();
            if (calls is not null)
            {
                silo.Services.AddSingleton(calls);
            }
            if (grid is not null)
            {
                silo.Services.Configure(grid);
            }
        });
        builder.ConfigureClient(client =>
        {
            client.Services.AddGridExceptions();
            client.AddMemoryStreams(Grains.Infrastructure.StreamNames.Provider);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TwoSiloCluster(cluster, log);
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
