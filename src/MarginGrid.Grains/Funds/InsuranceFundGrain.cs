using System.Collections.Immutable;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace MarginGrid.Grains.Funds;

/// <summary>
/// The insurance fund of one settlement asset: the fold of its own event stream of ledger transactions.
/// It decides payouts itself, so it can never pay more than it holds however many liquidations draw on it.
/// Every liquidation of the asset passes through here (a reservation, a payout, a fee), so the grain is
/// reentrant and commits in groups: each command decides at once, without awaiting anything, against the
/// durable balance less every outflow decided but not yet durable, and then waits for the batch that carries it
/// (<see cref="StreamPipeline{TState}"/>); reservation writes are shared the same way.
/// </summary>
[Reentrant]
public sealed class InsuranceFundGrain(
    IEventLog log,
    TimeProvider clock,
    ILogger<InsuranceFundGrain> logger,
    GridMetrics metrics,
    [PersistentState("fund-reservations", StreamNames.MoneyStorage)] IPersistentState<Dictionary<string, decimal>> reservations)
    : Grain, IInsuranceFundGrain
{
    private readonly Dictionary<string, (LedgerTransaction Transaction, Task Durable)> _pending = new(StringComparer.Ordinal);
    private EventStream<FundState> _stream = null!;
    private StreamPipeline<FundState> _pipeline = null!;
    private CoalescedRun _saveReservations = null!;
    private bool _registered;

    private string Asset => this.GetPrimaryKeyString();

    private InsuranceFund FundNow => _stream.State.Fund;

    private List<(LedgerTransaction Transaction, DateTimeOffset At)> Flows => _stream.State.History;

    /// <summary>
    /// What the fund may still promise: the durable balance less the outflows decided and not yet durable. Inflows
    /// (fees, deposits) count only once durable, so a lost append can never have been spent.
    /// </summary>
    private decimal Spendable => FundNow.Balance + Pending(outflows: true);

    /// <summary>The fund's net of the transactions decided and not yet durable: their outflows (≤ 0) or their inflows (≥ 0).</summary>
    private decimal Pending(bool outflows) => _pending.Values.Sum(p =>
    {
        var net = p.Transaction.NetFor(LedgerAccount.InsuranceFund(Asset));
        return outflows ? Math.Min(0m, net) : Math.Max(0m, net);
    });

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = new EventStream<FundState>(log, $"fund:{Asset}", new FundFold(Asset), snapshotEvery: 0, DeactivateOnIdle);
        _pipeline = new StreamPipeline<FundState>(_stream);
        _saveReservations = new CoalescedRun(() => reservations.WriteStateAsync());
        await _stream.Load();
        RegisterIfExists();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Another silo reports this fund from now on; a stale balance here would double it.
        if (_registered)
        {
            metrics.FundGone(Asset);
        }

        return Task.CompletedTask;
    }

    /// <summary>Only a fund with history has series: reading an unknown asset must leave none behind.</summary>
    private void RegisterIfExists()
    {
        if (!_registered && Flows.Count > 0)
        {
            _registered = true;
            metrics.FundRegistered(Asset);
            metrics.FundBalance(Asset, FundNow.Balance);
        }
    }

    public async Task<CommandResult<InsuranceFundView>> Deposit(string transferId, decimal amount)
    {
        LedgerTransaction transaction;
        try
        {
            transaction = FundNow.DecideDeposit(transferId, amount);
            var legacy = InsuranceFund.LegacyDepositTransactionId(transferId);
            if (_pending.TryGetValue(transaction.TransactionId, out var inFlight))
            {
                // The same deposit sent again while the first is being committed: answer as the first one does.
                await inFlight.Durable;
            }

            var earlier = _stream.State.ById.GetValueOrDefault(transaction.TransactionId) ?? _stream.State.ById.GetValueOrDefault(legacy);
            if (earlier is not null)
            {
                var fund = LedgerAccount.InsuranceFund(Asset);
                return earlier.NetFor(fund) == transaction.NetFor(fund)
                    ? CommandResult<InsuranceFundView>.Ok(View(), replayed: true)
                    : CommandResult<InsuranceFundView>.Fail(new CommandError(ErrorCodes.DuplicateConflict, "conflict", $"Transfer {transferId} was already applied with another amount."));
            }

            // Deposits being committed count toward the fund's bound too.
            GridBounds.Within(FundNow.Balance + Pending(outflows: false) + amount, GridBounds.MaxAmount, $"The {Asset} insurance fund's resulting balance");
        }
        catch (DomainException error)
        {
            return Errors.Fail<InsuranceFundView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<InsuranceFundView>(error);
        }

        try
        {
            await Commit(transaction);
        }
        catch (EventLogUnavailableException error)
        {
            return Errors.Unavailable<InsuranceFundView>(error);
        }

        return CommandResult<InsuranceFundView>.Ok(View());
    }

    /// <summary>
    /// Sets aside up to <paramref name="requested"/> for one liquidation, from what nobody else has set aside. Asked
    /// again, it keeps what it holds and grows it toward a larger request (a liquidation re-planned after a restart,
    /// at a worse mark, must not fall to ADL while the fund has free money); it never shrinks.
    /// </summary>
    public async Task<decimal> Reserve(string operationId, decimal requested)
    {
        var held = reservations.State.GetValueOrDefault(operationId);
        var free = Math.Max(0m, Spendable - reservations.State.Values.Sum());

        // Set aside at the asset's precision, so that what is left free (and paid from it) stays at that precision too.
        var amount = MoneyRounding.PayDown(Math.Clamp(requested, 0m, held + free), Account.DefaultAssetDecimals);
        if (reservations.State.ContainsKey(operationId) && amount <= held)
        {
            // Held already, but perhaps only in memory (its write shared with others still running): answer once it is durable.
            await _saveReservations.Run();
            return held;
        }

        reservations.State[operationId] = amount;
        await _saveReservations.Run();
        return amount;
    }

    public async Task<decimal> Payout(string operationId, string accountId, ScopeKey scope, decimal requested)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var id = $"fund-payout:{operationId}";
        if (_pending.TryGetValue(id, out var inFlight))
        {
            // The same payout asked again while the first is being committed (a caller that timed out).
            await inFlight.Durable;
        }

        if (_stream.State.ById.GetValueOrDefault(id) is { } earlier)
        {
            await Release(operationId);
            return -earlier.NetFor(LedgerAccount.InsuranceFund(Asset));
        }

        // Its own reservation first, then what nobody else has set aside; never more than the fund can still spend.
        var own = reservations.State.GetValueOrDefault(operationId);
        var free = Math.Max(0m, Spendable - reservations.State.Values.Sum());
        var target = new MarginScope(Asset, scope.Symbol).LedgerAccount(accountId);
        var payout = FundNow.DecidePayout(operationId, target, Math.Min(requested, own + free));
        if (payout is not null)
        {
            // The reservation is kept until the payout is durable: both count against what is free meanwhile.
            await Commit(payout);
        }

        await Release(operationId);
        return payout is null ? 0m : -payout.NetFor(LedgerAccount.InsuranceFund(Asset));
    }

    private async Task Release(string operationId)
    {
        if (reservations.State.Remove(operationId))
        {
            await _saveReservations.Run();
        }
    }

    public async Task RecordFee(string operationId, string accountId, decimal amount)
    {
        var id = $"fund-fee:{operationId}";
        if (_pending.TryGetValue(id, out var inFlight))
        {
            await inFlight.Durable;
            return;
        }

        if (amount <= 0m || FundNow.HasApplied(id))
        {
            return;
        }

        await Commit(FundNow.DecideFee(operationId, LedgerAccount.Wallet(accountId, Asset), amount));
    }

    public Task<InsuranceFundView> Get()
    {
        if (Flows.Count == 0 && reservations.State.Count == 0)
        {
            // No such fund yet: the caller answers 404, and no activation stays behind for it.
            DeactivateOnIdle();
        }

        return Task.FromResult(View());
    }

    /// <summary>
    /// Commits one decided transaction with whatever else is being decided meanwhile. Applied once durable; on a
    /// conflict or an unconfirmed append the stream deactivates this grain and every later commit fails too.
    /// </summary>
    private async Task Commit(LedgerTransaction transaction)
    {
        var at = clock.GetUtcNow();
        var durable = _pipeline.Append(new StoredEvent(transaction, at));
        _pending[transaction.TransactionId] = (transaction, durable);
        try
        {
            await durable;
        }
        finally
        {
            _pending.Remove(transaction.TransactionId);
        }

        RegisterIfExists();
        metrics.FundBalance(Asset, FundNow.Balance);
        metrics.FundFlow(Asset, transaction.NetFor(LedgerAccount.InsuranceFund(Asset)));
        await Publish(new FundFlow(transaction.TransactionId, transaction.Kind, transaction.NetFor(LedgerAccount.InsuranceFund(Asset)), null, at));
    }

    private async Task Publish(FundFlow flow)
    {
        try
        {
            await this.GetStreamProvider(StreamNames.Provider).GetStream<FundFlow>(StreamId.Create(StreamNames.FundFlows, Asset)).OnNextAsync(flow);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The flow is in the fund's own stream already; the event out is informational.
            logger.LogWarning(error, "Publishing fund flow {Transaction} failed", flow.TransactionId);
        }
    }

    private InsuranceFundView View()
    {
        var fund = LedgerAccount.InsuranceFund(Asset);
        var flows = Flows.Select(h => new FundFlow(h.Transaction.TransactionId, h.Transaction.Kind, h.Transaction.NetFor(fund), null, h.At)).ToList();
        return new InsuranceFundView(Asset, FundNow.Balance, reservations.State.Values.Sum(), [.. flows.TakeLast(50)],
            flows.Where(f => f.Kind == "liquidation-fee").Sum(f => f.Amount),
            -flows.Where(f => f.Kind == "insurance-payout").Sum(f => f.Amount));
    }
}
