namespace MarginGrid.Abstractions.Liquidations;

/// <summary>A margin scope on the wire: the cross wallet of an asset (<see cref="Symbol"/> null) or one isolated position.</summary>
[GenerateSerializer, Immutable, Alias("mg.ScopeKey")]
public sealed record ScopeKey(
    [property: Id(0)] string Asset,
    [property: Id(1)] string? Symbol)
{
    public override string ToString() => Symbol is null ? $"cross:{Asset}" : $"isolated:{Symbol}";
}
