namespace MarginGrid.Domain.Accounts;

/// <summary>The answer of a pre-trade check: whether the order may be sent, and why not.</summary>
public sealed record OrderCheckResult(bool Accepted, decimal RequiredInitialMargin, decimal AvailableBalance, string? Reason);
