namespace MarginGrid.Silo.Api.Requests;

public sealed record BracketRequest(decimal? NotionalFloor, int? MaxLeverage, decimal? MaintenanceMarginRate);
