using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Abstractions.Funds;

/// <summary>The insurance fund of one settlement asset (key: asset). Its balance never goes negative.</summary>
public interface IInsuranceFundGrain : IGrainWithStringKey
{
    Task<CommandResult<InsuranceFundView>> Deposit(string transferId, decimal amount);

    /// <summary>
    /// Sets aside up to <paramref name="requested"/> for one liquidation, out of what no other liquidation
    /// has set aside, and returns it (idempotent by operation id). Liquidations that run at once then size
    /// their ADL against money the fund will really have.
    /// </summary>
    Task<decimal> Reserve(string operationId, decimal requested);

    /// <summary>Pays up to <paramref name="requested"/> towards a liquidation's deficit, from its reservation first; returns what it paid (idempotent by operation id).</summary>
    Task<decimal> Payout(string operationId, string accountId, ScopeKey scope, decimal requested);

    /// <summary>Records a liquidation fee credited to the fund (idempotent by operation id).</summary>
    Task RecordFee(string operationId, string accountId, decimal amount);

    [Orleans.Concurrency.ReadOnly]
    Task<InsuranceFundView> Get();
}
