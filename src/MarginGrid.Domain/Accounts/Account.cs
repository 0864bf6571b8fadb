using System.Collections.Immutable;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

/// <summary>
/// A trader's account: wallets, positions, settings and the commands already applied. Every command is
/// decided first (validated against the current state, nothing changed) into an <see cref="AccountEvent"/>,
/// then applied; a refused command throws before anything changes. Balances are sums of ledger entries.
/// </summary>
public sealed partial class Account
{
    /// <summary>Decimal places of wallet amounts that arrive without a market (deposits, withdrawals).</summary>
    public const int DefaultAssetDecimals = GridBounds.DefaultAssetDecimals;

    private readonly Dictionary<LedgerAccount, decimal> _balances = [];
    private readonly Dictionary<string, Position> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PositionSettings> _settings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _newestRounds = new(StringComparer.Ordinal);

    public Account(string id)
    {
        Require.Id(id, "An account id");
        Id = id;
    }

    public string Id { get; }

    /// <summary>The number of events applied: the version an event store compares and appends at.</summary>
    public long Version { get; private set; }

    /// <summary>Open positions, by symbol.</summary>
    public IReadOnlyDictionary<string, Position> Positions => _positions;

    public IReadOnlyDictionary<string, PositionSettings> Settings => _settings;

    /// <summary>Every balance of this account that the ledger holds (wallets and isolated margins).</summary>
    public IReadOnlyDictionary<LedgerAccount, decimal> Balances => _balances;

    public decimal Wallet(string asset) => _balances.GetValueOrDefault(LedgerAccount.Wallet(Id, asset));

    public decimal IsolatedMargin(string symbol, string asset) => _balances.GetValueOrDefault(LedgerAccount.Isolated(Id, symbol, asset));

    /// <summary>The settings of a market: the chosen ones, or cross at the default leverage capped by the first bracket.</summary>
    public PositionSettings SettingsFor(MarketDefinition market)
    {
        if (_settings.TryGetValue(market.Symbol, out var chosen))
        {
            return chosen;
        }

        var leverage = Math.Min(PositionSettings.Default.Leverage, market.Brackets[0].MaxLeverage);
        return PositionSettings.Default with { Leverage = leverage };
    }

    /// <summary>Applies an event decided by this account (or replayed from a store).</summary>
    public void Apply(AccountEvent accountEvent)
    {
        ArgumentNullException.ThrowIfNull(accountEvent);
        foreach (var entry in accountEvent.Transactions.SelectMany(t => t.Entries))
        {
            if (entry.Account.BelongsTo(Id))
            {
                _balances[entry.Account] = _balances.GetValueOrDefault(entry.Account) + entry.Amount;
            }
        }

        foreach (var settings in accountEvent.Settings)
        {
            _settings[settings.Symbol] = settings.Settings;
        }

        foreach (var position in accountEvent.Positions)
        {
            if (position.Size == 0m)
            {
                _positions.Remove(position.Symbol);
            }
            else
            {
                _positions[position.Symbol] = position;
            }
        }

        RefreshIsolatedMargins(accountEvent);
        if (accountEvent.CommandKey is { } key)
        {
            _commands[key] = accountEvent.Fingerprint;
        }

        Version++;
    }

    /// <summary>True when <paramref name="commandKey"/> was applied with the same content; throws a conflict when with other content.</summary>
    /// <summary>Whether a command with this key was applied (whatever its content).</summary>
    public bool HasApplied(string commandKey) => _commands.ContainsKey(commandKey);

    public bool IsReplay(string commandKey, string fingerprint)
    {
        if (!_commands.TryGetValue(commandKey, out var applied))
        {
            return false;
        }

        return applied == fingerprint
            ? true
            : throw new DomainException(ErrorCodes.DuplicateConflict, $"{commandKey} was already applied with other content.");
    }

    /// <summary>Decides and applies in one step; returns the event, or null for an identical replay.</summary>
    public AccountEvent? Execute(Func<Account, AccountEvent?> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        var accountEvent = decide(this);
        if (accountEvent is not null)
        {
            Apply(accountEvent);
        }

        return accountEvent;
    }

    private void RefreshIsolatedMargins(AccountEvent accountEvent)
    {
        var touched = accountEvent.Positions.Select(p => p.Symbol)
            .Concat(accountEvent.Transactions.SelectMany(t => t.Entries)
                .Where(e => e.Account.Kind == LedgerAccountKind.IsolatedMargin && e.Account.Owner == Id)
                .Select(e => e.Account.Symbol));
        foreach (var symbol in touched)
        {
            if (_positions.TryGetValue(symbol, out var position) && position.IsIsolated)
            {
                _positions[symbol] = position with { IsolatedMargin = IsolatedMargin(symbol, position.SettleAsset) };
            }
        }
    }

    /// <summary>Command keys are unique within an account; the account id makes the transaction id unique in the ledger.</summary>
    private string TransactionId(string commandKey) => $"{commandKey}@{Id}";

    private AccountEvent NewEvent(string? commandKey, string fingerprint, string kind, LedgerTransaction? transaction, params Position[] positions)
    {
        if (transaction is not null)
        {
            RequireBalancesWithinBounds(transaction);
        }

        return new(commandKey, fingerprint, kind,
            transaction is null ? [] : [transaction],
            [.. positions.Select(StampNewFundingRound)],
            ImmutableArray<SymbolSettings>.Empty);
    }

    /// <summary>Refuses a transaction that would leave one of this account's balances beyond <see cref="GridBounds.MaxAmount"/>.</summary>
    private void RequireBalancesWithinBounds(LedgerTransaction transaction)
    {
        foreach (var group in transaction.Entries.Where(e => e.Account.BelongsTo(Id)).GroupBy(e => e.Account))
        {
            GridBounds.Within(_balances.GetValueOrDefault(group.Key) + group.Sum(e => e.Amount), GridBounds.MaxAmount, $"The resulting balance of {group.Key}");
        }
    }
}
