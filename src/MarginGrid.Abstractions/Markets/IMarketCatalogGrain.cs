using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Markets;

/// <summary>The list of defined market symbols (key: 0). Written only when a market is first defined: a cold path.</summary>
public interface IMarketCatalogGrain : IGrainWithIntegerKey
{
    Task Add(string symbol);

    [Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<string>> List();
}
