namespace MarginGrid.Abstractions.Liquidations;

/// <summary>The audit projection (key: "all"), fed by the liquidations stream.</summary>
public interface ILiquidationAuditGrain : IGrainWithStringKey
{
    [Orleans.Concurrency.ReadOnly]
    Task<LiquidationSummary> Summary();
}
