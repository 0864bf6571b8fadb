using MarginGrid.Abstractions.Common;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Liquidations;
using MarginGrid.Grains.Markets;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime.Hosting;

namespace MarginGrid.Grains;

/// <summary>Everything a silo of the grid needs, in one place, so the host and the test cluster configure alike.</summary>
public static class GridSiloExtensions
{
    /// <summary>
    /// The embedded default: the grid on in-process event log and grain storage and in-memory reminders.
    /// Nothing survives the process. Services registered before this call win (tests share one event log
    /// and one grain store across the silos of a test cluster).
    /// </summary>
    public static ISiloBuilder AddMarginGrid(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.TryAddSingleton<InMemoryEventLog>();
        services.TryAddSingleton<IEventLog>(sp => sp.GetRequiredService<InMemoryEventLog>());
        services.TryAddSingleton<ILedgerReader>(sp => (ILedgerReader)sp.GetRequiredService<IEventLog>());
        services.TryAddSingleton<InProcessStateStore>();
        services.TryAddSingleton<InProcessGrainStorage>();
        services.TryAddSingleton<ILiquidationArchive, InMemoryLiquidationArchive>();
        services.TryAddSingleton<ILiquidationWorkStore, InProcessLiquidationWorkStore>();
        services.TryAddSingleton<IIdBlockSource, InMemoryIdBlockSource>();
        services.AddGrainStorage(StreamNames.Storage, (sp, _) => sp.GetRequiredService<InProcessGrainStorage>());
        services.AddGrainStorage(StreamNames.MoneyStorage, (sp, _) => sp.GetRequiredService<InProcessGrainStorage>());
        services.AddGrainStorage(StreamNames.PubSubStore, (sp, _) => sp.GetRequiredService<InProcessGrainStorage>());
        silo.UseInMemoryReminderService();
        return silo.AddGridCore();
    }

    /// <summary>
    /// The grid itself, on whatever storage the host registered: an <see cref="IEventLog"/> and
    /// <see cref="ILedgerReader"/>, grain storage named <see cref="StreamNames.Storage"/>,
    /// <see cref="StreamNames.MoneyStorage"/> and <see cref="StreamNames.PubSubStore"/>, and a reminder service.
    /// </summary>
    public static ISiloBuilder AddGridCore(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.AddGridExceptions();
        services.TryAddSingleton<MarketDirectory>();
        services.TryAddSingleton<AdlScorer>();
        services.TryAddSingleton<ScopeJudge>();
        services.TryAddSingleton<MarkRelayClient>();
        silo.AddGrainService<MarkRelayService>();
        services.TryAddSingleton<FundingGate>();
        services.TryAddSingleton<SafetySweepBudget>();
        services.TryAddSingleton<MarketReadings>();
        services.TryAddSingleton<FundBalances>();
        services.TryAddSingleton<AtRiskNotional>();
        services.TryAddSingleton<GridMetrics>();
        services.TryAddSingleton<ILiquidationExecutor, MarkPriceExecutor>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GridOptions>().BindConfiguration(GridOptions.Section);
        silo.AddMemoryStreams(StreamNames.Provider);
        silo.AddActivityPropagation();
        return silo;
    }
}
