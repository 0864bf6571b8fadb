namespace MarginGrid.Domain.Markets;

/// <summary>A risk bracket as an operator types it: the maintenance amount is derived by <see cref="RiskBracketTable"/>.</summary>
public sealed record RiskBracketSpec(decimal NotionalFloor, int MaxLeverage, decimal MaintenanceMarginRate);
