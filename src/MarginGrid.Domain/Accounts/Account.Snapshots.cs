using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Accounts;

/// <summary>Snapshots: the account's state as a record, and the account again from one, so activation need not fold every event.</summary>
public sealed partial class Account
{
    /// <summary>The state at this version. Dictionary order is kept, so a restored account enumerates as the original does.</summary>
    public AccountSnapshot Snapshot() => new(
        Id,
        Version,
        [.. _balances.Select(b => new AccountBalance(b.Key, b.Value))],
        [.. _positions.Values],
        [.. _settings.Select(s => new SymbolSettings(s.Key, s.Value))],
        [.. _commands.Select(c => new AppliedCommand(c.Key, c.Value))]);

    /// <summary>The account exactly as <paramref name="snapshot"/> recorded it; refuses a snapshot that no account could have produced.</summary>
    public static Account FromSnapshot(AccountSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Require.That(snapshot.Version >= 0, ErrorCodes.InvalidArgument, $"A snapshot's version is never negative (was {snapshot.Version}).");
        var account = new Account(snapshot.Id) { Version = snapshot.Version };
        foreach (var balance in snapshot.Balances)
        {
            Require.That(balance.Account.BelongsTo(snapshot.Id), ErrorCodes.InvalidArgument, $"Balance {balance.Account} does not belong to {snapshot.Id}.");
            account._balances.Add(balance.Account, balance.Amount);
        }

        foreach (var position in snapshot.Positions)
        {
            Require.That(position.IsOpen, ErrorCodes.InvalidArgument, $"A snapshot holds open positions only ({position.Symbol} is flat).");
            account._positions.Add(position.Symbol, position);
        }

        foreach (var settings in snapshot.Settings)
        {
            account._settings.Add(settings.Symbol, settings.Settings);
        }

        foreach (var command in snapshot.Commands)
        {
            account._commands.Add(command.Key, command.Fingerprint);
        }

        return account;
    }
}
