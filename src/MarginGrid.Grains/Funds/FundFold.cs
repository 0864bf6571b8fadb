using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grains.Funds;

/// <summary>
/// A fund is the fold of its stream of ledger transactions. It keeps no snapshot: its view and its replays
/// read its flows, so its state is its history (one stream per settlement asset, a handful in all).
/// </summary>
public sealed class FundFold(string asset) : IEventFold<FundState>
{
    public FundState Empty() => new(asset);

    public void Apply(FundState state, StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(stored);
        var transaction = (LedgerTransaction)stored.Event;
        state.Fund.Apply(transaction);
        state.History.Add((transaction, stored.At));
        state.ById.TryAdd(transaction.TransactionId, transaction);
    }

    public object? Snapshot(FundState state) => null;

    public FundState Restore(object snapshot) => throw new NotSupportedException("Fund streams keep no snapshots.");
}
