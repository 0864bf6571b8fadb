using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Liquidation;

namespace MarginGrid.Grains.Accounts;

/// <summary>The coordinator's side of the account: every call is idempotent by operation and step.</summary>
public sealed partial class AccountGrain : IAccountLiquidation
{
    async Task<ScopeState> IAccountLiquidation.GetScope(ScopeKey scope, ImmutableArray<MarkUpdate> marks)
    {
        ArgumentNullException.ThrowIfNull(scope);
        // Skipped marks leave the account's copy old, and so can its silo's cache (a silo hosting none of the
        // market's shards): the coordinator judges at the market's newest, which only ever moves a mark forward.
        foreach (var mark in marks.IsDefault ? [] : marks)
        {
            if (mark is not null && _account.Positions.ContainsKey(mark.Symbol))
            {
                await EnsureMarket(mark.Symbol, mark.MarketVersion);
                _markets.SetMark(mark);
            }
        }

        await RefreshMarks();
        return ScopeStateOf(scope);
    }

    async Task IAccountLiquidation.OnLiquidationEnded(string liquidationId, ImmutableArray<string> breachIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(liquidationId);
        var forgotten = 0;
        foreach (var breachId in breachIds.IsDefault ? [] : breachIds)
        {
            forgotten += _escalated.Remove(breachId) ? 1 : 0;
        }

        // A liquidation cancelled on a bounce leaves the account at the same version: if it is in breach again,
        // the same breach id must reach the coordinator again (it starts a new episode for an ended one).
        if (forgotten > 0)
        {
            await Evaluate(escalate: true);
        }
    }

    async Task<PartialStep> IAccountLiquidation.PlanPartial(ScopeKey scope)
    {
        await RefreshMarks();
        var plan = InBreach(scope) ? LiquidationPlanner.PlanPartial(_account, ToDomain(scope), _markets, _thresholds) : null;
        return new PartialStep(plan is null ? null : new PartialPlan(plan.Symbol, plan.Quantity), ScopeStateOf(scope));
    }

    async Task<ScopeState> IAccountLiquidation.ApplyLiquidationTrade(string operationId, string step, ScopeKey scope, string symbol, decimal quantity, decimal price, bool deleveraged)
    {
        var market = await EnsureMarket(symbol);
        await RefreshMarks();
        await CommitOrThrow(_account.DecideLiquidationTrade(operationId, step, market, quantity, price, deleveraged));
        return ScopeStateOf(scope);
    }

    async Task<ScopeState> IAccountLiquidation.ApplyInsurancePayout(string operationId, ScopeKey scope, decimal amount)
    {
        var payout = InsuranceFund.PayoutTransaction(operationId, ToDomain(scope).LedgerAccount(Id), amount);
        await CommitOrThrow(_account.DecideInsurancePayout(payout));
        return ScopeStateOf(scope);
    }

    async Task<SettlementView> IAccountLiquidation.SettleLiquidation(string operationId, ScopeKey scope, string symbol, decimal feeCharge)
    {
        var market = await EnsureMarket(symbol);
        var (accountEvent, outcome) = _account.DecideLiquidationSettlement(operationId, ToDomain(scope), market, feeCharge);
        if (accountEvent is null)
        {
            return await ReplayedSettlement($"liq:{operationId}:settle:{ToDomain(scope)}", ToDomain(scope));
        }

        await CommitOrThrow(accountEvent);
        return new SettlementView(outcome.Fee, outcome.Deficit, outcome.TraderKeeps);
    }

    async Task<Abstractions.Common.CommandResult<decimal>> IAccountLiquidation.Deleverage(string operationId, string symbol, decimal quantity, decimal price, PositionSide side)
    {
        await RefreshMarks();
        var before = _account.Positions.TryGetValue(symbol, out var held) ? held.Size : 0m;
        AccountEvent? accountEvent;
        try
        {
            accountEvent = _account.DecideDeleverage(operationId, await EnsureMarket(symbol), quantity, price, ContractEnums.ToDomain(side));
        }
        catch (DomainException error)
        {
            return Infrastructure.Errors.Fail<decimal>(error);
        }

        if (accountEvent is null)
        {
            // A replay: what it took then, from the size just before it.
            var key = $"adl:{operationId}";
            var replay = await Replayed(key);
            var sizeBefore = replay.Before.Positions.TryGetValue(symbol, out var p) ? p.Size : 0m;
            return Abstractions.Common.CommandResult<decimal>.Ok(Account.DeleveragedQuantity((AccountEvent)replay.Event, sizeBefore), replayed: true);
        }

        await CommitOrThrow(accountEvent);
        return Abstractions.Common.CommandResult<decimal>.Ok(Account.DeleveragedQuantity(accountEvent, before));
    }

    private async Task CommitOrThrow(AccountEvent? accountEvent)
    {
        if (accountEvent is null)
        {
            return;
        }

        await Commit(accountEvent);
        await Evaluate(escalate: false);
    }

    /// <summary>
    /// The outcome of a settlement applied earlier, read back from its ledger legs. What the trader kept is
    /// what an isolated scope moved to the wallet, or, for a cross scope, the wallet right after settling.
    /// </summary>
    private async Task<SettlementView> ReplayedSettlement(string commandKey, MarginScope scope)
    {
        var replay = await Replayed(commandKey);
        var entries = ((AccountEvent)replay.Event).Transactions.SelectMany(t => t.Entries).ToList();
        var keeps = scope.IsCross
            ? replay.After.ScopeBalance(scope)
            : entries.Where(e => e.Kind == EntryKind.MarginTransfer && e.Account.Kind == LedgerAccountKind.Wallet).Sum(e => e.Amount);
        return new SettlementView(
            entries.Where(e => e.Kind == EntryKind.LiquidationFee && e.Account.Kind == LedgerAccountKind.InsuranceFund).Sum(e => e.Amount),
            entries.Where(e => e.Kind == EntryKind.Deficit && e.Account.BelongsTo(Id)).Sum(e => e.Amount),
            keeps);
    }

    private ScopeState ScopeStateOf(ScopeKey key)
    {
        var scope = ToDomain(key);
        var now = _clock.GetUtcNow();
        var positions = _account.Positions.Values.Where(p => InScope(p, scope)).ToList();
        var figures = positions.Count == 0 ? null : _account.Scope(scope, _markets, _thresholds);
        return new ScopeState(key,
            figures?.InBreach ?? false,
            positions.Any(p => _markets.IsStale(p.Symbol, now)),
            _account.ScopeBalance(scope),
            figures?.MarginBalance ?? _account.ScopeBalance(scope),
            figures?.MaintenanceMargin ?? 0m,
            [.. positions.Select(p => new ScopePosition(p.Symbol, p.Size, p.EntryPrice, _markets.Mark(p.Symbol), _markets.MarkOf(p.Symbol)!.Sequence))],
            _account.Version);
    }

    private bool InBreach(ScopeKey scope) =>
        _account.Positions.Values.Any(p => InScope(p, ToDomain(scope))) && _account.Scope(ToDomain(scope), _markets, _thresholds).InBreach;

    private static MarginScope ToDomain(ScopeKey key) => new(key.Asset, key.Symbol);
}
