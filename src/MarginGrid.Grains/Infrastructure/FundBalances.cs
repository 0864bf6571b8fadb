using System.Collections.Concurrent;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>The source of the fund balance gauge: the balance of each insurance fund active in this silo.</summary>
public sealed class FundBalances
{
    private readonly ConcurrentDictionary<string, decimal> _balances = new(StringComparer.Ordinal);

    public void Set(string asset, decimal balance) => _balances[asset] = balance;

    public void Forget(string asset) => _balances.TryRemove(asset, out _);

    public IEnumerable<KeyValuePair<string, decimal>> All => _balances;
}
