namespace MarginGrid.Abstractions.Liquidations;

/// <summary>The partial step the rules ask for now (null: none), with the scope it was planned on.</summary>
[GenerateSerializer, Immutable, Alias("mg.PartialStep")]
public sealed record PartialStep(
    [property: Id(0)] PartialPlan? Plan,
    [property: Id(1)] ScopeState Scope);
