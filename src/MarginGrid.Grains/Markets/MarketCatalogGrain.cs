using System.Collections.Immutable;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Grains.Markets;

/// <summary>The persisted set of market symbols.</summary>
public sealed class MarketCatalogGrain([PersistentState("catalog", StreamNames.Storage)] IPersistentState<SortedSet<string>> symbols)
    : Grain, IMarketCatalogGrain
{
    public async Task Add(string symbol)
    {
        if (symbols.State.Add(symbol))
        {
            await symbols.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> List() => Task.FromResult<ImmutableArray<string>>([.. symbols.State]);
}
