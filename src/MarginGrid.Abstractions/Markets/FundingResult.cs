namespace MarginGrid.Abstractions.Markets;

/// <summary>What a funding settlement did: how many holders it reached and the residue rounding kept.</summary>
[GenerateSerializer, Immutable, Alias("mg.FundingResult")]
public sealed record FundingResult(
    [property: Id(0)] FundingSettlement Settlement,
    [property: Id(1)] int HoldersSettled,
    [property: Id(2)] bool AlreadyApplied);
