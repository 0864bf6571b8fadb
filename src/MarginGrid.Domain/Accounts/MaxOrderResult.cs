namespace MarginGrid.Domain.Accounts;

/// <summary>The largest order the pre-trade check accepts now (0 when none), and the initial margin it requires.</summary>
public sealed record MaxOrderResult(decimal Quantity, decimal RequiredInitialMargin);
