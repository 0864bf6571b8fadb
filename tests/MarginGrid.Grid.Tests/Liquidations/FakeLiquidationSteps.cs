using System.Collections.Immutable;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Markets;
using MarginGrid.Grains.Liquidations;
using MarginGrid.Grains.Markets;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Liquidations;

/// <summary>
/// A small world for <see cref="LiquidationMachine"/>: one account with one linear position in a cross scope,
/// an insurance fund, an executor and ADL counterparties, all in memory. Every call is written to
/// <see cref="Calls"/> in order (saves included), so tests can check what was sent and what was saved first.
/// </summary>
public sealed class FakeLiquidationSteps : ILiquidationSteps
{
    public const string Symbol = "BTCUSDT";
    public static readonly ScopeKey Cross = new("USDT", null);
    private static readonly MarketDefinition Market = MarketSpecMapper.ToDomain(Symbol, Specs.LinearSpec("USDT"), 1);
    // The one bracket of Specs.LinearSpec.
    private const decimal MaintenanceRate = 0.005m;
    private readonly HashSet<string> _failOnce = new(StringComparer.Ordinal);
    private long _version;

    public List<string> Calls { get; } = [];

    public decimal Size { get; set; } = 1m;

    public decimal Entry { get; set; } = 30_000m;

    public decimal Balance { get; set; } = 200m;

    public decimal Mark { get; set; } = 29_850m;

    public bool Stale { get; set; }

    /// <summary>The executor's price, for quotes and fills alike.</summary>
    public decimal FillPrice { get; set; } = 29_850m;

    /// <summary>What the account's rules ask for as the partial step (null: none).</summary>
    public PartialPlan? PartialPlan { get; set; }

    public decimal FundBalance { get; set; } = 1_000_000m;

    /// <summary>A trader's fill that lands on the account just before the settlement, of which the coordinator hears nothing.</summary>
    public decimal ReopenBeforeSettle { get; set; }

    /// <summary>Counterparties in rank order, with the quantity each still holds.</summary>
    public List<(string AccountId, decimal Holds)> Counterparties { get; } = [];

    public DateTimeOffset Now { get; } = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Makes the next call of <paramref name="call"/> fail, as an unreachable grain would.</summary>
    public void FailOnce(string call) => _failOnce.Add(call);

    public int Count(string prefix) => Calls.Count(c => c.StartsWith(prefix, StringComparison.Ordinal));

    public ScopeState Scope()
    {
        var positions = Size == 0m ? ImmutableArray<ScopePosition>.Empty : [new ScopePosition(Symbol, Size, Entry, Mark, 1)];
        return new ScopeState(Cross, InBreach(Balance, Size), Stale, Balance, Balance + Pnl(Size, Mark), Maintenance(Size), positions, ++_version);
    }

    public BreachReport Breach() =>
        new("b1", "trader", Cross, 0m, 0m, [new MarkAtBreach(Symbol, Mark, 1)], Now, Scope());

    public Task Save(string liquidationId)
    {
        Calls.Add("save");
        return Task.CompletedTask;
    }

    public ValueTask<ScopeState> Judge(ScopeState snapshot)
    {
        // At the newest mark, as the coordinator's judge does: the snapshot's positions and balance, this world's mark.
        var size = snapshot.Positions.IsEmpty ? 0m : snapshot.Positions[0].Size;
        return ValueTask.FromResult(snapshot with { InBreach = !snapshot.Positions.IsEmpty && InBreach(snapshot.Balance, size), Stale = Stale });
    }

    public Task<ScopeState> ReadScope(string accountId, ScopeKey scope) => Answer("read", Scope());

    public Task<PartialStep> PlanPartial(string accountId, ScopeKey scope) => Answer("plan-partial", new PartialStep(PartialPlan, Scope()));

    public ValueTask<MarketDefinition> Definition(string symbol) => ValueTask.FromResult(Market);

    public Task<decimal> Quote(string symbol, Side side, decimal quantity) => Answer($"quote:{side}:{quantity}", FillPrice);

    public Task<decimal> Execute(LiquidationOrder order) => Answer($"execute:{order.OrderId}:{order.Side}:{order.Quantity}", FillPrice);

    public Task<decimal> Reserve(string asset, string liquidationId, decimal expected) => Answer($"reserve:{expected}", Math.Min(expected, FundBalance));

    public Task<IReadOnlyList<AdlCandidate>> Candidates(string symbol, int side, string exclude) =>
        Answer<IReadOnlyList<AdlCandidate>>($"candidates:{side}", [.. Counterparties.Select(c => new AdlCandidate(c.AccountId, c.Holds, 1m))]);

    public Task<CommandResult<decimal>> Deleverage(string counterparty, string operationId, string symbol, decimal quantity, decimal price, int side)
    {
        var index = Counterparties.FindIndex(c => c.AccountId == counterparty);
        var holds = index < 0 ? 0m : Counterparties[index].Holds;
        var taken = Math.Min(holds, quantity);
        if (index >= 0)
        {
            Counterparties[index] = (counterparty, holds - taken);
        }

        return Answer($"deleverage:{counterparty}:{quantity}@{price}", taken > 0m
            ? CommandResult<decimal>.Ok(taken)
            : CommandResult<decimal>.Fail(new CommandError("NO_POSITION", "conflict", "no position left")));
    }

    public Task<ScopeState> ApplyTrade(string accountId, string liquidationId, string step, ScopeKey scope, string symbol, decimal quantity, decimal price, bool deleveraged)
    {
        Fail($"apply:{step}");
        var closed = Math.Sign(Size) * quantity;
        Balance += Pnl(closed, price, Entry);
        Size -= closed;
        return Answer($"apply:{step}:{quantity}@{price}", Scope());
    }

    public Task<decimal> Payout(string liquidationId, string accountId, ScopeKey scope, decimal requested)
    {
        var paid = Math.Min(requested, FundBalance);
        FundBalance -= paid;
        return Answer($"payout:{requested}", paid);
    }

    public Task<ScopeState> ApplyPayout(string accountId, string liquidationId, ScopeKey scope, decimal amount)
    {
        Balance += amount;
        return Answer($"apply-payout:{amount}", Scope());
    }

    public Task<SettlementView> Settle(string accountId, string liquidationId, ScopeKey scope, string symbol, decimal feeCharge)
    {
        if (ReopenBeforeSettle != 0m)
        {
            Size = ReopenBeforeSettle;
            ReopenBeforeSettle = 0m;
        }

        if (Size != 0m)
        {
            // As the account refuses it: a scope that still holds a position is not settled.
            Calls.Add("settle-refused");
            throw new DomainException(ErrorCodes.ScopeStillOpen, "Scope cross:USDT of account trader still has open positions; close them before settling.");
        }

        var fee = Math.Min(feeCharge, Math.Max(0m, Balance));
        Balance -= fee;
        var settlement = new SettlementView(fee, Math.Max(0m, -Balance), Math.Max(0m, Balance));
        return Answer($"settle:{feeCharge}", settlement);
    }

    public Task RecordFee(string asset, string liquidationId, string accountId, decimal amount) => Answer($"fee:{amount}", 0);

    public Task RecordDeficit(string symbol, string liquidationId, decimal amount) => Answer($"deficit:{amount}", 0);

    public void AdlNeeded(string symbol) => Calls.Add("adl-needed");

    public void TradeApplied(string symbol, string kind, decimal notional, string asset)
    {
    }

    public void DeficitLeft(string symbol)
    {
    }

    public void AdlTookNothing(string liquidationId, string counterparty, string reason) => Calls.Add($"took-nothing:{counterparty}");

    private static decimal Pnl(decimal size, decimal price, decimal entry) => size * (price - entry);

    private decimal Pnl(decimal size, decimal mark) => Pnl(size, mark, Entry);

    private decimal Maintenance(decimal size) => MaintenanceRate * Math.Abs(size) * Mark;

    private bool InBreach(decimal balance, decimal size) => size != 0m && balance + Pnl(size, Mark) < Maintenance(size);

    private Task<T> Answer<T>(string call, T value)
    {
        Fail(call.Split(':')[0]);
        Calls.Add(call);
        return Task.FromResult(value);
    }

    private void Fail(string call)
    {
        if (_failOnce.Remove(call))
        {
            throw new InvalidOperationException($"{call} is unreachable");
        }
    }
}
