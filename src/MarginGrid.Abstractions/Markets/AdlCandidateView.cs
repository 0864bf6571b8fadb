namespace MarginGrid.Abstractions.Markets;

/// <summary>A holder as its shard last saw it: signed size and ADL score.</summary>
[GenerateSerializer, Immutable, Alias("mg.AdlCandidateView")]
public sealed record AdlCandidateView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] decimal Size,
    [property: Id(2)] decimal Score);
