using MarginGrid.Domain.Accounts;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grains.Accounts;

/// <summary>An account is the fold of its stream of <see cref="AccountEvent"/>s; its snapshot is the domain's own <see cref="AccountSnapshot"/>.</summary>
public sealed class AccountFold(string accountId) : IEventFold<Account>
{
    public Account Empty() => new(accountId);

    public void Apply(Account state, StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(stored);
        state.Apply((AccountEvent)stored.Event);
    }

    public object? Snapshot(Account state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Snapshot();
    }

    public Account Restore(object snapshot) => Account.FromSnapshot((AccountSnapshot)snapshot);
}
