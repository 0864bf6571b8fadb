using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Positions;
using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Grains.Accounts;

/// <summary>The API's and the client's side of the account: its commands and reads (opening and what-if have files of their own).</summary>
public sealed partial class AccountGrain : IAccountGrain
{
    Task<CommandResult<AccountMarginView>> IAccountGrain.Deposit(string transferId, string asset, decimal amount) =>
        Execute(() => _account.DecideDeposit(transferId, asset, amount), MarginView, $"transfer:{transferId}");

    Task<CommandResult<AccountMarginView>> IAccountGrain.Withdraw(string transferId, string asset, decimal amount) =>
        Execute(OnFreshMarks(() => _account.DecideWithdrawal(transferId, asset, amount, _markets, _thresholds), () => _account.Positions.Keys), MarginView, $"transfer:{transferId}");

    async Task<CommandResult<PositionView>> IAccountGrain.ApplyFill(string fillId, string symbol, OrderSide side, decimal quantity, decimal price, decimal fee)
    {
        try
        {
            var parsed = ContractEnums.ToDomain(side);
            var market = await EnsureMarket(symbol);
            AccountEvent? DecideFill()
            {
                var decided = _account.DecideFill(new Fill(fillId, symbol, parsed, quantity, price, fee), market);
                if (decided is not null && _markets.MarkOf(symbol) is null)
                {
                    // A market with no mark yet is valued at the first accepted trade price until its first mark arrives.
                    _markets.SetMark(new MarkUpdate(symbol, price, 0, _clock.GetUtcNow(), market.Version, Stale: true));
                }

                return decided;
            }

            return await Execute(DecideFill, a => PositionOf(a, symbol), $"fill:{fillId}");
        }
        catch (DomainException error)
        {
            return Errors.Fail<PositionView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<PositionView>(error);
        }
    }

    async Task<CommandResult<AccountMarginView>> IAccountGrain.ChangeSettings(string symbol, PositionMarginMode marginMode, int leverage)
    {
        try
        {
            var mode = ContractEnums.ToDomain(marginMode);
            await EnsureMarket(symbol);
            return await Execute(() => _account.DecideSettings(symbol, new PositionSettings(mode, leverage), _markets, _thresholds), MarginView, replayKey: null);
        }
        catch (DomainException error)
        {
            return Errors.Fail<AccountMarginView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<AccountMarginView>(error);
        }
    }

    async Task<CommandResult<PositionView>> IAccountGrain.ChangeIsolatedMargin(string operationId, string symbol, decimal delta)
    {
        try
        {
            await EnsureMarket(symbol);
            // Adding margin never needs a mark (a top-up during a feed halt is what a trader does); removing it does.
            Func<AccountEvent?> decide = () => _account.DecideIsolatedMarginChange(operationId, symbol, delta, _markets, _thresholds);
            return await Execute(delta < 0m ? OnFreshMarks(decide, () => [symbol]) : decide, a => PositionOf(a, symbol), $"op:{operationId}");
        }
        catch (DomainException error)
        {
            return Errors.Fail<PositionView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<PositionView>(error);
        }
    }

    async Task<CommandResult<OrderCheckView>> IAccountGrain.CheckOrder(string symbol, OrderSide side, decimal quantity, decimal price)
    {
        try
        {
            var parsed = ContractEnums.ToDomain(side);
            await EnsureMarket(symbol);
            await RefreshMarks();
            RequireFreshMarks(_account.Positions.Keys.Append(symbol));

            var result = _account.CheckOrder(symbol, parsed, quantity, price, _markets, _thresholds);
            return CommandResult<OrderCheckView>.Ok(new OrderCheckView(result.Accepted, result.RequiredInitialMargin, result.AvailableBalance, result.Reason));
        }
        catch (DomainException error)
        {
            return Errors.Fail<OrderCheckView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<OrderCheckView>(error);
        }
    }

    async Task<AccountMarginView> IAccountGrain.GetMargin()
    {
        if (_account.Version == 0)
        {
            // Nobody has this account: answer "no history" and leave no activation behind.
            DeactivateOnIdle();
            return MarginView(new Dictionary<string, int>());
        }

        await RefreshMarks();

        // One ranking read per held market, all at once: a read waits for the slowest shard, not for their sum.
        var symbols = _account.Positions.Keys.ToArray();
        var ranked = await Task.WhenAll(symbols.Select(s => GrainFactory.Reference<IMarketShardGrain>(MarketShards.KeyFor(s, Id)).AdlQuantile(Id)));
        var quantiles = new Dictionary<string, int>(symbols.Length, StringComparer.Ordinal);
        for (var i = 0; i < symbols.Length; i++)
        {
            if (ranked[i] is { } quantile)
            {
                quantiles[symbols[i]] = quantile;
            }
        }

        return MarginView(quantiles);
    }

    /// <summary>
    /// What the ledger holds (reconciliation compares it with the entries), and apart from it the unrealised funding
    /// the account already counts (an auditor valuing the account as it judges itself adds the two).
    /// </summary>
    Task<AccountHoldings> IAccountGrain.GetHoldings() => Task.FromResult(new AccountHoldings(Id, StoredVersion,
        [.. _account.WalletBalances().Select(w => Holding(w.Asset, w.Balance, PendingFunding(LedgerAccount.Wallet(Id, w.Asset))))],
        [.. _account.Positions.Values.Select(p => Holding(p, p.IsIsolated ? PendingFunding(LedgerAccount.Isolated(Id, p.Symbol, p.SettleAsset)) : 0m))],
        _escalated.Count > 0,
        [.. _account.UnsettledIsolatedScopes().Select(s => new UnsettledScopeHolding(s.Symbol, s.Asset, s.Balance))]));

    private static WalletHolding Holding(string asset, decimal live, decimal pending) => new(asset, live - pending, pending);

    private static PositionHolding Holding(Position p, decimal pending) =>
        new(p.Symbol, p.SettleAsset, p.IsIsolated ? PositionMarginMode.Isolated : PositionMarginMode.Cross, p.Leverage, p.Size, p.EntryPrice, p.IsolatedMargin - pending, pending);

    async Task<RiskLevel> IAccountGrain.GetLevel()
    {
        await RefreshMarks();
        return ContractEnums.ToContract(Health().WorstLevel);
    }

    async Task<ImmutableArray<LedgerEntryView>> IAccountGrain.GetLedger(long after, int limit)
    {
        var entries = new List<LedgerEntryView>();
        long sequence = 0;

        // Read from the log: the grain keeps no history.
        foreach (var stored in await _stream.History())
        {
            foreach (var entry in ((AccountEvent)stored.Event).Transactions.SelectMany(t => t.Entries).Where(e => e.Account.BelongsTo(Id)))
            {
                sequence++;
                if (sequence > after && entries.Count < limit)
                {
                    entries.Add(new LedgerEntryView(sequence, entry.EntryId, entry.TransactionId, entry.Kind.ToString(),
                        entry.Account.Symbol.Length == 0 ? "wallet" : $"isolated:{entry.Account.Symbol}", entry.Account.Asset, entry.Amount, stored.At));
                }
            }
        }

        return [.. entries];
    }
}
