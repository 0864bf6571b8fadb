namespace MarginGrid.Domain.Funding;

/// <summary>
/// A funding payment that does not follow from the rounds the market recorded: the <paramref name="Subject"/>
/// (account, market and round), what the rounds say and what the ledger holds.
/// </summary>
public sealed record FundingFinding(string Subject, decimal Expected, decimal Actual, string Detail);
