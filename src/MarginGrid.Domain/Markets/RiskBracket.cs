namespace MarginGrid.Domain.Markets;

/// <summary>
/// One row of a market's risk table. <see cref="MaintenanceAmount"/> (Binance's <c>cum</c>) is derived from
/// the rows below it, never typed in, so that maintenance margin is continuous in notional.
/// </summary>
public sealed record RiskBracket(decimal NotionalFloor, int MaxLeverage, decimal MaintenanceMarginRate, decimal MaintenanceAmount);
