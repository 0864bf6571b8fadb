namespace MarginGrid.Abstractions.Markets;

/// <summary>
/// What a funding settlement did: the recorded round, and how many holders it applies to. Every silo counts the
/// round in its reads before this answer; the holders themselves are told just after it.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.FundingResult")]
public sealed record FundingResult(
    [property: Id(0)] FundingSettlement Settlement,
    [property: Id(1)] int HoldersSettled,
    [property: Id(2)] bool AlreadyApplied);
