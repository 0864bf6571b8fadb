using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Tests.Support;

/// <summary>
/// A small exchange made only of domain calls: accounts, insurance funds and a reference ledger that every
/// accepted event is posted to. It runs liquidations the way the coordinator does (partial step, full step,
/// ADL, waterfall), so the invariants of margin-rules.md section 9 can be checked over random histories.
/// </summary>
public sealed class World
{
    public MarketSnapshot Context { get; } = new();
    public LedgerBook Book { get; } = new();
    public Dictionary<string, Account> Accounts { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, InsuranceFund> Funds { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<AccountEvent>> Events { get; } = new(StringComparer.Ordinal);
    public MarginLevelThresholds Thresholds { get; } = MarginLevelThresholds.Default;
    public int Liquidations { get; private set; }
    public int Deleveraged { get; private set; }

    public Account Account(string id)
    {
        if (!Accounts.TryGetValue(id, out var account))
        {
            account = new Account(id);
            Accounts[id] = account;
            Events[id] = [];
        }

        return account;
    }

    public InsuranceFund Fund(string asset)
    {
        if (!Funds.TryGetValue(asset, out var fund))
        {
            fund = new InsuranceFund(asset);
            Funds[asset] = fund;
        }

        return fund;
    }

    public void SeedFund(string asset, string transferId, decimal amount)
    {
        var transaction = Fund(asset).DecideDeposit(transferId, amount);
        Book.Post(transaction);
        Fund(asset).Apply(transaction);
    }

    /// <summary>Decides on the account and, when accepted, applies the event and posts its transactions.</summary>
    public AccountEvent? Run(string accountId, Func<Account, AccountEvent?> decide)
    {
        var account = Account(accountId);
        var accountEvent = decide(account);
        if (accountEvent is null)
        {
            return null;
        }

        Commit(account, accountEvent);
        return accountEvent;
    }

    /// <summary>Runs the liquidation of one scope in breach; returns false when it was not in breach.</summary>
    public bool Liquidate(string accountId, MarginScope scope, string operationId, int slippageTicks)
    {
        var account = Account(accountId);
        if (!account.Scope(scope, Context, Thresholds).InBreach)
        {
            return false;
        }

        Liquidations++;
        if (LiquidationPlanner.PlanPartial(account, scope, Context, Thresholds) is { } partial)
        {
            var market = Context.Market(partial.Symbol);
            var price = ExecutorPrice(market, account.Positions[partial.Symbol].Size, slippageTicks);
            Run(accountId, a => a.DecideLiquidationTrade(operationId, "partial", market, partial.Quantity, price, deleveraged: false));
            if (!account.Scope(scope, Context, Thresholds).InBreach)
            {
                return true;
            }
        }

        var inScope = account.Positions.Values.Where(p => scope.Symbol is { } s ? p.Symbol == s : !p.IsIsolated && p.SettleAsset == scope.Asset).ToList();
        var closing = inScope.Select(p => new ClosingPosition(Context.Market(p.Symbol), p, ExecutorPrice(Context.Market(p.Symbol), p.Size, slippageTicks))).ToList();
        var scopeMargin = scope.Symbol is { } isolated ? account.IsolatedMargin(isolated, scope.Asset) : account.Wallet(scope.Asset);
        var fund = Fund(scope.Asset);
        if (LiquidationPlanner.PlanAdl(closing, scopeMargin, fund.Balance) is { } adl)
        {
            Deleverage(account, operationId, adl);
        }

        var feeCharge = 0m;
        foreach (var c in closing)
        {
            if (account.Positions.TryGetValue(c.Position.Symbol, out var remaining))
            {
                Run(accountId, a => a.DecideLiquidationTrade(operationId, $"full:{c.Position.Symbol}", c.Market, remaining.Quantity, c.ClosePrice, deleveraged: false));
                feeCharge += c.Market.LiquidationFeeRate * ContractMath.Notional(c.Market, remaining.Quantity, c.ClosePrice);
            }
        }

        var remainingMargin = account.ScopeBalance(scope);
        if (remainingMargin < 0m && fund.DecidePayout(operationId, scope.LedgerAccount(account.Id), -remainingMargin) is { } payout)
        {
            Commit(account, account.DecideInsurancePayout(payout)!);
        }

        var (settlement, _) = account.DecideLiquidationSettlement(operationId, scope, closing[0].Market, feeCharge);
        if (settlement is not null)
        {
            Commit(account, settlement);
        }

        return true;
    }

    private void Deleverage(Account account, string operationId, AdlPlan adl)
    {
        var market = Context.Market(adl.Symbol);
        var mark = Context.Mark(adl.Symbol);
        var side = Math.Sign(account.Positions[adl.Symbol].Size);
        var candidates = Accounts.Values
            .Where(o => o.Id != account.Id && o.Positions.TryGetValue(adl.Symbol, out var p) && Math.Sign(p.Size) == -side)
            .Select(o =>
            {
                var p = o.Positions[adl.Symbol];
                var scope = p.IsIsolated ? MarginScope.Isolated(p.SettleAsset, p.Symbol) : MarginScope.Cross(p.SettleAsset);
                return new AdlCandidate(o.Id, p.Quantity, AdlRanking.ScoreOf(market, p, mark, o.Scope(scope, Context, Thresholds).MarginBalance));
            });
        var (allocations, _) = AdlAllocator.Allocate(adl.Quantity, AdlRanking.Rank(candidates));
        foreach (var allocation in allocations)
        {
            Run(allocation.AccountId, o => o.DecideDeleverage($"{operationId}:{account.Id}", market, allocation.Quantity, adl.BankruptcyPrice, -side));
            Run(account.Id, a => a.DecideLiquidationTrade(operationId, $"adl:{allocation.AccountId}", market, allocation.Quantity, adl.BankruptcyPrice, deleveraged: true));
            Deleveraged++;
        }
    }

    /// <summary>The default executor: fills at the mark, moved against the position by some ticks.</summary>
    public decimal ExecutorPrice(MarketDefinition market, decimal size, int slippageTicks)
    {
        var mark = Context.Mark(market.Symbol);
        var slip = slippageTicks * market.TickSize;
        return size > 0m ? Math.Max(market.TickSize, mark - slip) : mark + slip;
    }

    private void Commit(Account account, AccountEvent accountEvent)
    {
        account.Apply(accountEvent);
        Events[account.Id].Add(accountEvent);
        foreach (var transaction in accountEvent.Transactions)
        {
            Book.Post(transaction);
            foreach (var fund in Funds.Values)
            {
                fund.Apply(transaction);
            }
        }
    }
}
