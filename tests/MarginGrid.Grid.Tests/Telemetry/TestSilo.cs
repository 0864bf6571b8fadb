using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Telemetry;

/// <summary>The telemetry services of one silo, in a container of their own, as each silo of a cluster has.</summary>
internal sealed class TestSilo : IDisposable
{
    private readonly ServiceProvider _services;

    public TestSilo(TimeProvider? clock = null)
    {
        _services = new ServiceCollection()
            .AddMetrics()
            .AddSingleton(clock ?? TimeProvider.System)
            .AddSingleton<MarketReadings>()
            .AddSingleton<FundBalances>()
            .AddSingleton<AtRiskNotional>()
            .AddSingleton<GridMetrics>()
            .BuildServiceProvider();
        Metrics = _services.GetRequiredService<GridMetrics>();
    }

    public GridMetrics Metrics { get; }

    public void Dispose() => _services.Dispose();
}
